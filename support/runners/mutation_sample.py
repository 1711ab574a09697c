"""A random sample of the mutants of all of app/, judged: the score over the whole scope estimated, with its
margin, in hours instead of the days every mutant takes (``make mutation SAMPLE=150 [SEED=n]``).

Every module of the scope gets its session (made when missing; started over when its text changed), so the
population is every mutant of every module. The sample is drawn from it by the seed: each mutant is ranked by a
digest of the seed, its module and what it is there (its operator and occurrence, as the ledger names it), and the
lowest ranked are drawn. The same seed draws the same mutants, so a stopped run goes on where it stopped, and a
change to one module, or a session made afresh, leaves every other module's part of the draw as it was, so the
verdicts of one stop count for the next (drawn by their place in a list, a mutant more in one module changed
nearly the whole draw: 139 of 150 and 136 of 150 had to be judged afresh at the last two stops); each mutant not judged yet is
judged exactly as ``make mutation`` judges it, and its verdict kept in its module's session (it counts for
that module's standing too). The estimate is the share of the sample's judged mutants that were killed,
equivalents left out, with a 95 % Wilson interval; every survivor of the sample is listed.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from pathlib import Path

from support.runners.mutation_judging import Drawn
from support.runners.mutation_ledger import key
from support.runners.mutation_sessions import ModuleScore, Mutant, judge_equivalents, read_session

Z_95 = 1.959964


def population(sessions: dict[str, Path]) -> list[Drawn]:
    """Every mutant of every module's session that the operators kept make (a session holds the others too,
    marked skipped), in one stable order (module, then cosmic-ray's job id)."""
    return sorted(
        (
            Drawn(module, mutant.job_id, kind=key(mutant.operator, mutant.occurrence))
            for module, session in sessions.items()
            for mutant in read_session(module, session).mutants
            if mutant.outcome != "skipped"
        ),
        key=lambda drawn: (drawn.module, drawn.job_id),
    )


def draw(mutants: list[Drawn], size: int, seed: int) -> list[Drawn]:
    """``size`` of the mutants drawn by ``seed`` (all of them when there are fewer), in the order drawn: those whose
    digest of the seed, their module and what they are there ranks lowest (a mutant without a kind: its job id)."""

    def rank(drawn: Drawn) -> bytes:
        return hashlib.sha256(f"{seed}\0{drawn.module}\0{drawn.kind or drawn.job_id}".encode()).digest()

    return sorted(mutants, key=rank)[:size]


def wilson(killed: int, judged: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of a share ``killed`` of ``judged``, in per cent."""
    if judged == 0:
        return 0.0, 100.0
    share = killed / judged
    spread = Z_95**2 / judged
    centre = (share + spread / 2) / (1 + spread)
    half = Z_95 * math.sqrt(share * (1 - share) / judged + spread / (4 * judged)) / (1 + spread)
    return 100.0 * max(0.0, centre - half), 100.0 * min(1.0, centre + half)


def judge_sample(
    sample: list[Drawn],
    verdict: Callable[[Drawn], Mutant],
    judge: Callable[[Drawn], None],
    say: Callable[[str], None],
) -> None:
    """Judges each drawn mutant that has no verdict yet (``judge`` applies it, runs its check and keeps the
    verdict in its session; ``verdict`` reads it back), saying each verdict and how far the sample is."""
    began = time.monotonic()
    waiting = [drawn for drawn in sample if verdict(drawn).outcome == "pending"]
    say(f"mutation sample: {len(sample)} drawn, {len(sample) - len(waiting)} judged before, {len(waiting)} to judge")
    for number, drawn in enumerate(waiting, start=1):
        started = time.monotonic()
        judge(drawn)
        mutant = verdict(drawn)
        say(
            f"mutation sample: {number} of {len(waiting)}: {mutant.module}:{mutant.line} {mutant.operator} "
            f"{mutant.outcome} in {time.monotonic() - started:.0f} s ({time.monotonic() - began:.0f} s so far)"
            + (f"; {mutant.judged_by}" if mutant.outcome == "survived" and mutant.judged_by else "")
        )


def report(sample: list[Drawn], scores: dict[str, ModuleScore], of_all: int, seed: int) -> tuple[str, float | None]:
    """The sample's verdicts (counts, the estimated score with its interval, every survivor), and the estimate;
    ``scores``: each module's verdicts, equivalents already marked."""
    by_job = {(m.module, m.job_id): m for score in scores.values() for m in score.mutants}
    drawn = [by_job[(d.module, d.job_id)] for d in sample]
    killed = sum(1 for m in drawn if m.outcome == "killed")
    survivors = [m for m in drawn if m.outcome == "survived" and not m.equivalent]
    equivalent = sum(1 for m in drawn if m.equivalent)
    not_judged = sum(1 for m in drawn if m.outcome in ("pending", "incompetent"))
    no_mutant = sum(1 for m in drawn if m.outcome == "skipped")
    judged = killed + len(survivors)
    low, high = wilson(killed, judged)
    estimate = 100.0 * killed / judged if judged else None
    shown = f"{estimate:.1f} %" if estimate is not None else "-"
    lines = [
        f"Sample of {len(sample)} mutants drawn with seed {seed} from all {of_all} of the modules "
        f"({len({m.module for m in drawn})} modules):",
        "",
        "| killed | survived | equivalent | not judged | no mutant made | estimated score | 95 % interval |",
        "|---|---|---|---|---|---|---|",
        f"| {killed} | {len(survivors)} | {equivalent} | {not_judged} | {no_mutant} | **{shown}** | "
        f"{low:.1f} to {high:.1f} % |",
        "",
        f"Survivors of the sample ({len(survivors)}):",
        "",
    ]
    lines += [_survivor(m) for m in sorted(survivors, key=lambda m: (m.module, m.line))]
    return "\n".join(lines), estimate


def _survivor(mutant: Mutant) -> str:
    said = f" ({mutant.judged_by})" if mutant.judged_by else ""
    return f"- `{mutant.module}:{mutant.line}` {mutant.operator}: `{mutant.mutated_line}`{said}"


def verdicts(sessions: dict[str, Path], equivalents: list[dict]) -> dict[str, ModuleScore]:
    """Each module's verdicts as its session keeps them, the survivors recorded as equivalent marked."""
    scores = {module: read_session(module, session) for module, session in sessions.items()}
    for score in scores.values():
        judge_equivalents(score, equivalents)
    return scores
