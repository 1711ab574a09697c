"""The recorded equivalents judged on their own: ``make mutation EQUIVALENTS=1 [MODULES=...]``.

An entry of ``support/runners/mutation_equivalents.toml`` says no request can tell its mutant from the code;
a module's run settles such a mutant without judging it (a survivor costs minutes), so a wrong entry hides a
mutant the checks would kill. This run judges exactly the mutants the entries name, as ``make mutation`` judges
any, without paying for the modules' other mutants: in the modules given (by default every module an entry names
by its path; a rule for every module, ``*``, names mutants of the modules given only), the entries written for one
line first, then the rules' many alike mutants. It then says which entries held (their mutant survived every
check) and which are wrong (killed: the check that killed it is quoted). Verdicts are kept in the modules'
sessions, so a stopped run goes on where it stopped.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from support.runners.mutation_judging import Drawn, Judging
from support.runners.mutation_known_equivalents import NOT_RUN, named_unjudged
from support.runners.mutation_sessions import Mutant, named_by, read_session


def modules_named(equivalents: list[dict], scope: tuple[str, ...] | list[str]) -> list[str]:
    """The modules of ``scope`` an entry names by its path, in the scope's order."""
    named = {entry["module"] for entry in equivalents}
    return [module for module in scope if module in named]


def forget_settled(session: Path) -> int:
    """Forgets the verdicts of the mutants an entry settled without running them, so they are judged; how many."""
    with sqlite3.connect(session) as db:
        return db.execute("DELETE FROM work_results WHERE output LIKE ?", (f"{NOT_RUN}%",)).rowcount


def waiting_named(sessions: dict[str, Path], equivalents: list[dict]) -> list[tuple[Drawn, Mutant]]:
    """Every mutant of the sessions an entry names that has no verdict of its own yet (the verdicts an entry
    settled unjudged forgotten first), made in memory: the entries written for their module's line first, a
    reasoned claim, where a rule for every module (``*``) is a pattern whose mutants are many and alike."""
    for session in sessions.values():
        forget_settled(session)
    named = [
        (Drawn(module, job_id), mutant)
        for module, session in sessions.items()
        for job_id, mutant in named_unjudged(module, session, equivalents)
    ]
    own = {module: [e for e in equivalents if e["module"] == module] for module in sessions}
    return sorted(named, key=lambda found: named_by(found[1], own[found[0].module]) is None)


def judge_named(
    waiting: list[tuple[Drawn, Mutant]],
    sessions: dict[str, Path],
    env: dict[str, str],
    timeout: float,
    say: Callable[[str], None],
) -> None:
    """Judges each of the ``waiting`` mutants (``waiting_named``) in turn, saying each verdict."""
    say(
        f"mutation equivalents: {len(waiting)} mutants named by a recorded equivalent to judge, in {len(sessions)} modules"
    )
    judging = Judging(sessions, env, timeout)
    began = time.monotonic()
    for number, (drawn, _) in enumerate(waiting, start=1):
        started = time.monotonic()
        judging.judge(drawn)
        mutant = judging.verdict(drawn)
        say(
            f"mutation equivalents: {number} of {len(waiting)}: {mutant.module}:{mutant.line} {mutant.operator} "
            f"{mutant.outcome} in {time.monotonic() - started:.0f} s ({time.monotonic() - began:.0f} s so far)"
            + (" - the entry is wrong" if mutant.outcome == "killed" else "")
        )


def named_mutants(
    sessions: dict[str, Path], equivalents: list[dict], waiting: list[tuple[Drawn, Mutant]]
) -> list[tuple[Mutant, str]]:
    """Every mutant of the sessions an entry names, with the entry's reason, whatever its verdict: one judged
    is matched by its diff, one still pending is known from ``waiting`` (made in memory before judging)."""
    pending = {(drawn.module, drawn.job_id): made for drawn, made in waiting}
    found = []
    for module, session in sessions.items():
        for mutant in read_session(module, session).mutants:
            made = pending.get((module, mutant.job_id))
            if mutant.outcome == "pending" and made is not None:
                found.append((replace(mutant, diff=made.diff), made.equivalent))
            elif mutant.outcome not in ("pending", "skipped"):
                reason = named_by(mutant, equivalents)
                if reason is not None:
                    found.append((mutant, reason))
    return found


def report(named: list[tuple[Mutant, str]]) -> tuple[str, int]:
    """What the entries' mutants came to: the entries shown wrong (their mutant killed, with what killed it),
    how many held, how many are still to judge; and the number of wrong ones."""
    wrong = [(m, reason) for m, reason in named if m.outcome == "killed"]
    held = [m for m, _ in named if m.outcome == "survived" and not m.output.startswith(NOT_RUN)]
    waiting = [m for m, _ in named if m not in held and (m.outcome == "pending" or m.output.startswith(NOT_RUN))]
    lines = [
        "| mutants a recorded equivalent names | held (survived every check) | wrong (killed) | not judged yet |",
        "|---|---|---|---|",
        f"| {len(named)} | {len(held)} | {len(wrong)} | {len(waiting)} |",
        "",
    ]
    if wrong:
        lines += ["Entries shown wrong (a check killed the mutant they name: take the entry out, keep the check):", ""]
    for mutant, reason in wrong:
        killed_by = [line for line in mutant.output.splitlines() if line.startswith(("killed", "judged by"))]
        lines += [
            f"- `{mutant.module}:{mutant.line}` {mutant.operator}: `{mutant.mutated_line}`",
            f"  - the entry said: {reason}",
            f"  - {'; '.join(killed_by[:2]) or 'killed'}",
        ]
    return "\n".join(lines), len(wrong)
