"""Mutation testing with the specification as the test: ``make mutation``.

    python -m support.runners.mutation [--modules app/domain/money.py,...] [--out reports/mutation]

cosmic-ray makes the mutants (a lean set of its operators, ``support/runners/mutation_scope.py``) and
applies them one at a time to the file on disk; for each, ``support/runners/mutant_check.py`` restarts
both platform instances of one shared embedded stack and runs the scenarios that run the changed line
(a map made once per version of the code: ``support/runners/scenario_coverage.py``; ``--no-map``: the
features that exercise the module), stopping at the first failure. A mutant that makes a scenario fail (or keeps the platform from
starting) is killed; one that passes them all survived. Survivors judged equivalent (no behaviour can
tell them from the original) are listed with a one-line reason in
``support/runners/mutation_equivalents.toml`` and left out of the score; a mutant an entry there already
names is settled before anything judges it (``mutation_known_equivalents``: a survivor costs minutes);
``--check-equivalents`` judges those too, and names each entry whose mutant a check killed; ``--equivalents``
judges only them (``mutation_equivalents_judged``).

The mutants are written into a checkout of the last commit of its own (``reports/mutation/tree``, a git
worktree), never into the working copy: work goes on beside a run, and nothing half-mutated can be
committed (it happened once). Uncommitted changes are not in that checkout: commit first.

Each module's session is kept in ``reports/mutation/<module>.sqlite``: an interrupted run, started
again, goes on where it stopped (``--fresh`` starts over; ``--survivors-again`` judges only the
survivors again, after new scenarios, and the mutants not judged yet; ``--kept-survivors`` the survivors alone,
of every module that keeps one). The run prints its progress, then the score
per module and every survivor with its diff, and writes ``reports/mutation/summary.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import fcntl
import functools
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from support.report.layout import REPO_ROOT
from support.runners.mutation_equivalents_judged import (
    forget_settled,
    judge_named,
    modules_named,
    named_mutants,
    waiting_named,
)
from support.runners.mutation_equivalents_judged import report as equivalents_report
from support.runners.mutation_judging import Drawn, Judging, check_command
from support.runners.mutation_known_equivalents import NOT_RUN, settle_known_equivalents
from support.runners.mutation_ledger import LEDGER, keep, restore, score_kept
from support.runners.mutation_sample import draw, judge_sample, population, verdicts
from support.runners.mutation_sample import report as sample_report
from support.runners.mutation_scope import FEATURES_FOR, OPERATORS_KEPT, SCOPE, WHOLE_SPECIFICATION
from support.runners.mutation_sessions import (
    ModuleScore,
    Mutant,
    equivalents_known,
    judge_equivalents,
    named_by,
    read_session,
    session_of_this_shape,
    slug,
    source_copy,
)
from support.runners.mutation_shape import same_mutants
from support.runners.scenario_coverage import MAP_VARIABLE, ensure_map
from support.stack.stack import Stack

BIN = Path(sys.executable).parent
COSMIC_RAY = (sys.executable, "-m", "support.runners.cosmic_ray_with_slips")  # its own, and the slips
TARGET_SCORE = 90.0
ANOTHER_RUN = 2  # the exit code when another make mutation holds the checkout


@functools.cache
def _every_operator() -> frozenset[str]:
    every = subprocess.run([*COSMIC_RAY, "operators"], capture_output=True, text=True, check=True, cwd=REPO_ROOT).stdout
    return frozenset(every.split())


def session_config(module: str, folder: Path, timeout: float) -> Path:
    """cosmic-ray's configuration for one module: its mutants, the check that judges them, the operators left out."""
    left_out = sorted(_every_operator() - set(OPERATORS_KEPT))
    config = folder / f"{slug(module)}.toml"
    config.write_text(
        "[cosmic-ray]\n"
        f"module-path = {json.dumps(str(REPO_ROOT / module))}\n"
        f"timeout = {timeout}\n"
        "excluded-modules = []\n"
        f"test-command = {json.dumps(check_command(module))}\n"
        '[cosmic-ray.distributor]\nname = "local"\n'
        "[cosmic-ray.filters.operators-filter]\n"
        f"exclude-operators = {json.dumps([f'^{name}$' for name in left_out])}\n"
    )
    return config


def run_module(
    module: str,
    folder: Path,
    env: dict[str, str],
    timeout: float,
    fresh: bool,
    survivors_again: bool = False,
    equivalents: list[dict] | None = None,
    check_equivalents: bool = False,
) -> None:
    session, config = prepare_session(module, folder, env, timeout, fresh, survivors_again, equivalents)
    if check_equivalents:
        again = forget_settled(session)
        if again:
            print(f"mutation: {module}: {again} mutants settled by a recorded equivalent, judged now", flush=True)
    else:
        settled = settle_known_equivalents(module, session, equivalents or [])
        if settled:
            print(f"mutation: {module}: {settled} mutants a recorded equivalent names, left unjudged", flush=True)
    done = threading.Event()
    progress = threading.Thread(target=_report_progress, args=(module, session, done), daemon=True)
    progress.start()
    try:
        subprocess.run(
            [*COSMIC_RAY, "exec", config, session],
            check=True,
            env=env,
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
        )
    finally:
        done.set()
        progress.join()
        _restore(module)


def prepare_session(
    module: str,
    folder: Path,
    env: dict[str, str],
    timeout: float,
    fresh: bool,
    survivors_again: bool = False,
    equivalents: list[dict] | None = None,
) -> tuple[Path, Path]:
    """The module's session, made when missing or its text changed (kept otherwise, gaining the mutants of
    operators kept since), and its configuration."""
    session = folder / f"{slug(module)}.sqlite"
    config = session_config(module, folder, timeout)
    if session.exists() and not fresh and not session_made_from_this_text(module, folder):
        print(f"mutation: {module}: changed since its session was made; starting it over", flush=True)
        fresh = True  # the session's mutants name places in the old text
    if survivors_again and session.exists() and not fresh:
        _judge_survivors_again(module, session, equivalents or [])
    if fresh or not session.exists():
        session.unlink(missing_ok=True)
        _make_session(session, config, env)
        _record_source(module, folder)
    else:
        _add_operators_since(module, session, config, env)
    taken = restore(module, session, survivors=not survivors_again)
    if taken:
        print(f"mutation: {module}: {taken} verdicts taken from {LEDGER.relative_to(REPO_ROOT)}", flush=True)
    return session, config


def _make_session(session: Path, config: Path, env: dict[str, str]) -> None:
    """A session of every mutant of the module that the operators kept make."""
    subprocess.run([*COSMIC_RAY, "init", config, session], check=True, env=env, cwd=REPO_ROOT)
    subprocess.run([BIN / "cr-filter-operators", session, config], check=True, env=env)


def _add_operators_since(module: str, session: Path, config: Path, env: dict[str, str]) -> None:
    """A session made before an operator was kept gains that operator's mutants, its verdicts kept."""
    from cosmic_ray.work_db import WorkDB, use_db

    with use_db(str(session), WorkDB.Mode.open) as db:
        made_by = {item.mutations[0].operator_name for item in db.work_items}
        missing = set(OPERATORS_KEPT) - made_by
    if not missing:
        return
    every = session.with_suffix(".all.sqlite")
    every.unlink(missing_ok=True)
    try:
        _make_session(every, config, env)
        with use_db(str(every), WorkDB.Mode.open) as db:
            added = [item for item in db.work_items if item.mutations[0].operator_name in missing]
        with use_db(str(session), WorkDB.Mode.open) as db:
            db.add_work_items(added)
    finally:
        every.unlink(missing_ok=True)
    if added:
        print(f"mutation: {module}: {len(added)} mutants of operators kept since its session was made", flush=True)


def _fingerprint(module: str, folder: Path) -> Path:
    return folder / f"{slug(module)}.source-sha256"


def _source_digest(module: str) -> str:
    return hashlib.sha256((REPO_ROOT / module).read_bytes()).hexdigest()


def _record_source(module: str, folder: Path) -> None:
    """Remembers the text the session's mutants were made from: its digest, and the text itself."""
    _fingerprint(module, folder).write_text(_source_digest(module))
    source_copy(module, folder).write_text((REPO_ROOT / module).read_text())


def session_made_from_this_text(module: str, folder: Path) -> bool:
    """Whether the module's session holds the mutants of its text as it is now: made from this very text, or
    from one that differs only in names, words and layout (a rename: the same mutants at the same places)."""
    made_from = _fingerprint(module, folder)
    if made_from.exists() and made_from.read_text() == _source_digest(module):
        return True
    copy = source_copy(module, folder)
    if not made_from.exists() or not copy.exists():
        return False
    if hashlib.sha256(copy.read_bytes()).hexdigest() != made_from.read_text():
        return False
    if not same_mutants(copy.read_text(), (REPO_ROOT / module).read_text()):
        return False
    print(f"mutation: {module}: changed only in names, words or layout since its session was made; kept", flush=True)
    _record_source(module, folder)
    return True


def _unchanged(module: str) -> bool:
    return subprocess.run(["git", "diff", "--quiet", "--", module], cwd=REPO_ROOT).returncode == 0


def _restore(module: str) -> None:
    """A run stopped in the middle of a mutant (Ctrl-C) may leave it on disk: put the committed file back."""
    if not _unchanged(module):
        subprocess.run(["git", "checkout", "--", module], cwd=REPO_ROOT, check=True)
        print(f"mutation: {module}: the mutant left on disk was undone", file=sys.stderr, flush=True)


def _judge_survivors_again(module: str, session: Path, equivalents: list[dict]) -> list[str]:
    """Forgets the verdicts on the survivors only: after new scenarios, they are the mutants to judge again
    (a killed mutant stays killed by scenarios that only got sharper; one recorded as equivalent stays).
    Returns their job ids."""
    score = read_session(module, session)
    judge_equivalents(score, equivalents)
    again = [m.job_id for m in score.mutants if m.outcome == "survived" and not m.equivalent]
    with sqlite3.connect(session) as db:
        db.executemany("DELETE FROM work_results WHERE job_id = ?", [(job,) for job in again])
    return again


def wrong_equivalents(score: ModuleScore, equivalents: list[dict]) -> list[Mutant]:
    """The killed mutants a recorded equivalent names: the entry says no request can tell them apart, a check
    did."""
    return [m for m in score.mutants if m.outcome == "killed" and named_by(m, equivalents)]


def _report_progress(module: str, session: Path, done: threading.Event) -> None:
    began = time.monotonic()
    while not done.wait(20):
        try:
            counts = Counter(m.outcome for m in read_session(module, session).mutants if m.outcome != "skipped")
        except Exception:  # the session is being written; try again at the next tick
            continue
        finished = sum(counts.values()) - counts["pending"]
        print(
            f"mutation: {module}: {finished} of {sum(counts.values())} mutants judged "
            f"({counts['killed']} killed, {counts['survived']} survived), {time.monotonic() - began:.0f} s",
            file=sys.stderr,
            flush=True,
        )


def summary(scores: list[ModuleScore]) -> str:
    lines = [
        "| module | mutants | killed | survived | equivalent | not judged | score |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        judged = [m for m in s.mutants if m.outcome != "skipped"]
        not_judged = s.count("incompetent") + s.count("pending")
        shown = f"{s.score:.1f} %" if s.score is not None else "-"
        lines.append(
            f"| `{s.module}` | {len(judged)} | {s.count('killed')} | {s.count('survived')} | "
            f"{s.equivalent} | {not_judged} | {shown} |"
        )
    killed = sum(s.count("killed") for s in scores)
    survived = sum(s.count("survived") for s in scores)
    total = 100.0 * killed / (killed + survived) if killed + survived else 0.0
    lines.append(f"| **all** | | {killed} | {survived} | {sum(s.equivalent for s in scores)} | | **{total:.1f} %** |")
    unrun = sum(1 for s in scores for m in s.mutants if m.equivalent and m.output.startswith(NOT_RUN))
    if unrun:
        lines += [
            "",
            f"Of the equivalents, {unrun} were settled by a recorded entry without being judged "
            "(`make mutation CHECK_EQUIVALENTS=1` judges them: a killed one shows its entry wrong).",
        ]
    survivors = [m for s in scores for m in s.mutants if m.outcome == "survived" and not m.equivalent]
    lines += ["", f"Survivors ({len(survivors)}):", ""]
    for m in survivors:
        lines += [
            f"- `{m.module}:{m.line}` {m.operator}: `{m.mutated_line}`" + (f" ({m.judged_by})" if m.judged_by else "")
        ]
    return "\n".join(lines)


def standing(out: Path, equivalents: list[dict]) -> str:
    """The verdicts kept for every module in scope (its session in ``out`` when made from the module's text as
    it is now, else its line of the ledger in the repository), and the modules with neither: the score over
    what was judged, and how much of app/ that is. A session made from an older text says nothing of the
    module now: such a module is named apart, to be judged again."""
    scores, never, changed = [], [], []
    for module in SCOPE:
        session = out / f"{slug(module)}.sqlite"
        current = session_of_this_shape(module, out, (REPO_ROOT / module).read_text())
        score = read_session(module, session) if current else score_kept(module)
        if score is None:
            (changed if session.exists() else never).append(module)
            continue
        judge_equivalents(score, equivalents)
        scores.append(score)
    lines = [
        summary(scores),
        "",
        f"Modules in scope: {len(SCOPE)}; with verdicts kept: {len(scores)}; changed since their session was made "
        f"({len(changed)}): {', '.join(f'`{m}`' for m in changed) or 'none'}; never run ({len(never)}):",
    ]
    return "\n".join([*lines, "", *(f"- `{module}`" for module in never)])


def run_sample(
    modules: list[str],
    out: Path,
    env: dict[str, str],
    timeout: float,
    size: int,
    seed: int,
    equivalents: list[dict],
    survivors_again: bool = False,
) -> int:
    """``size`` mutants drawn by ``seed`` from every mutant of ``modules``, judged as a module's run judges
    them (``survivors_again``: the sample's survivors judged again, after new checks); prints and writes the
    estimate (``reports/mutation/sample.md``). Exit 0 when the estimate reaches the target."""
    sessions = {}
    for number, module in enumerate(modules, start=1):
        sessions[module], _ = prepare_session(module, out, env, timeout, fresh=False)
        if number % 10 == 0 or number == len(modules):
            print(
                f"mutation sample: sessions ready for {number} of {len(modules)} modules", file=sys.stderr, flush=True
            )
    everyone = population(sessions)
    sample = draw(everyone, size, seed)
    settle_drawn(sample, sessions, equivalents)
    if survivors_again:  # their verdicts forgotten: judged again below (those recorded as equivalent stay)
        drawn_ids = {(d.module, d.job_id) for d in sample}
        for module, score in verdicts(sessions, equivalents).items():
            again = [
                (m.job_id,)
                for m in score.mutants
                if (module, m.job_id) in drawn_ids and m.outcome == "survived" and not m.equivalent
            ]
            with sqlite3.connect(sessions[module]) as db:
                db.executemany("DELETE FROM work_results WHERE job_id = ?", again)
    judging = Judging(sessions, env, timeout)
    print(
        f"mutation sample: {len(sample)} of the {len(everyone)} mutants of {len(modules)} modules, seed {seed}",
        file=sys.stderr,
        flush=True,
    )
    stopped = False
    try:
        judge_sample(sample, judging.verdict, judging.judge, lambda said: print(said, file=sys.stderr, flush=True))
    except KeyboardInterrupt:  # the sample is in a random order: what was judged so far is a sample too
        stopped = True
        print(
            f"mutation sample: stopped; the verdicts so far are kept: the same command with --seed {seed} goes on",
            file=sys.stderr,
            flush=True,
        )
    finally:
        for module in {drawn.module for drawn in sample}:
            _restore(module)
    text, estimate = sample_report(sample, verdicts(sessions, equivalents), of_all=len(everyone), seed=seed)
    print(text)
    (out / "sample.md").write_text(text + "\n")
    if stopped:
        return 130
    return 0 if estimate is not None and estimate >= TARGET_SCORE else 1


def settle_drawn(sample: list[Drawn], sessions: dict[str, Path], equivalents: list[dict]) -> None:
    """Settles, in each module a drawn mutant is of, the mutants a recorded equivalent names, as a module's run
    does before it judges anything: drawn, such a mutant is counted as its equivalent without minutes of tests."""
    for module in sorted({drawn.module for drawn in sample}):
        settled = settle_known_equivalents(module, sessions[module], equivalents)
        if settled:
            print(
                f"mutation sample: {module}: {settled} mutants a recorded equivalent names, left unjudged", flush=True
            )


def modules_with_survivors(
    modules: list[str], out: Path, equivalents: list[dict], root: Path = REPO_ROOT, ledger: Path = LEDGER
) -> list[str]:
    """The modules of ``modules`` whose verdicts (their session in ``out``, else their line of ``ledger`` for the
    text in ``root``) keep a survivor no recorded equivalent names."""
    found = []
    for module in modules:
        session = out / f"{slug(module)}.sqlite"
        score = read_session(module, session) if session.exists() else score_kept(module, root=root, path=ledger)
        if score is None:
            continue
        judge_equivalents(score, equivalents)
        if any(m.outcome == "survived" and not m.equivalent for m in score.mutants):
            found.append(module)
    return found


def run_kept_survivors(
    modules: list[str], out: Path, env: dict[str, str], timeout: float, equivalents: list[dict]
) -> int:
    """Judges again the survivors kept for ``modules`` (their sessions, else the ledger), and no other mutant:
    after new checks, which of them still pass everything. Prints and writes the modules' scores
    (``reports/mutation/survivors.md``). Exit 0 when none survives."""
    sessions = {module: prepare_session(module, out, env, timeout, fresh=False)[0] for module in modules}
    waiting = [
        Drawn(module, job)
        for module, session in sessions.items()
        for job in _judge_survivors_again(module, session, equivalents)
    ]
    print(
        f"mutation survivors: {len(waiting)} kept survivors of {len(sessions)} modules to judge again",
        file=sys.stderr,
        flush=True,
    )
    judging = Judging(sessions, env, timeout)
    began = time.monotonic()
    try:
        for number, drawn in enumerate(waiting, start=1):
            judging.judge(drawn)
            mutant = judging.verdict(drawn)
            print(
                f"mutation survivors: {number} of {len(waiting)}: {mutant.module}:{mutant.line} {mutant.operator} "
                f"{mutant.outcome} ({time.monotonic() - began:.0f} s so far)",
                file=sys.stderr,
                flush=True,
            )
    except KeyboardInterrupt:
        print("mutation survivors: stopped; the verdicts so far are kept", file=sys.stderr, flush=True)
    finally:
        for module in sessions:
            _restore(module)
    scores = [read_session(module, session) for module, session in sessions.items()]
    for score in scores:
        judge_equivalents(score, equivalents)
    table = summary(scores)
    print(table)
    (out / "survivors.md").write_text(table + "\n")
    return 0 if not any(s.count("survived") for s in scores) else 1


def run_equivalents(modules: list[str], out: Path, env: dict[str, str], timeout: float, equivalents: list[dict]) -> int:
    """Judges the mutants the recorded equivalents name in ``modules`` (``mutation_equivalents_judged``); prints
    and writes what the entries came to (``reports/mutation/equivalents.md``). Exit 0 when none is wrong."""
    sessions = {}
    for module in modules:
        sessions[module], _ = prepare_session(module, out, env, timeout, fresh=False)
    waiting = []
    try:
        waiting = waiting_named(sessions, equivalents)
        judge_named(waiting, sessions, env, timeout, lambda said: print(said, file=sys.stderr, flush=True))
    except KeyboardInterrupt:
        print("mutation equivalents: stopped; the verdicts so far are kept: run it again to go on", file=sys.stderr)
    finally:
        for module in modules:
            _restore(module)
    text, wrong = equivalents_report(named_mutants(sessions, equivalents, waiting))
    print(text)
    (out / "equivalents.md").write_text(text + "\n")
    return 1 if wrong else 0


def sample_standing(out: Path, size: int, seed: int, equivalents: list[dict]) -> str:
    """The sample ``seed`` draws from the sessions kept in ``out``, with the verdicts they hold, running nothing
    (the same sessions draw the same mutants)."""
    sessions = {m: out / f"{slug(m)}.sqlite" for m in SCOPE if (out / f"{slug(m)}.sqlite").exists()}
    everyone = population(sessions)
    text, _ = sample_report(
        draw(everyone, size, seed), verdicts(sessions, equivalents), of_all=len(everyone), seed=seed
    )
    return text


OWN_TREE = "MUTATION_OWN_TREE"  # set in the run that works in the checkout of its own


def in_a_checkout_of_its_own(argv: list[str], out: Path) -> int:
    """Runs this command again in a fresh worktree of HEAD (``reports/mutation/tree``), with this virtual
    environment and ``out`` for the sessions; removes the worktree afterwards. Returns its exit code, or 2 at
    once when another run holds the checkout (a second run would take it away from under the first)."""
    tree = REPO_ROOT / "reports" / "mutation" / "tree"
    tree.parent.mkdir(parents=True, exist_ok=True)
    with (tree.parent / "running.lock").open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            print(
                f"mutation: another make mutation runs here ({lock.read().strip() or 'its process'}), in {tree}: "
                "wait for it to end, or stop it (Ctrl-C keeps its verdicts), then run this again",
                file=sys.stderr,
            )
            return ANOTHER_RUN
        lock.truncate(0)
        lock.write(f"process {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        lock.flush()
        return _in_the_checkout(tree, argv, out)


def _in_the_checkout(tree: Path, argv: list[str], out: Path) -> int:
    subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=REPO_ROOT, capture_output=True)
    shutil.rmtree(tree, ignore_errors=True)  # what a stopped run's processes wrote there after it was removed
    subprocess.run(["git", "worktree", "prune"], cwd=REPO_ROOT, check=True)
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(tree), "HEAD"], cwd=REPO_ROOT, check=True, capture_output=True
    )
    (tree / ".venv").symlink_to(REPO_ROOT / ".venv")
    if subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=REPO_ROOT).returncode != 0:
        print(
            "mutation: the mutants are made from the last commit; uncommitted changes are not in them", file=sys.stderr
        )
    run = subprocess.Popen(
        [sys.executable, "-m", "support.runners.mutation", *argv, "--out", str(out)],
        cwd=tree,
        env={**os.environ, OWN_TREE: "1"},
    )
    try:
        while True:
            try:
                return run.wait()
            except KeyboardInterrupt:  # the run had the same Ctrl-C: it stops, says what it judged, and ends
                continue
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=REPO_ROOT, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", help="comma-separated module paths; all in scope when not given")
    parser.add_argument(
        "--standing", action="store_true", help="print the verdicts kept for every module in scope, running nothing"
    )
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "reports" / "mutation")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds one mutant's check may take")
    parser.add_argument("--fresh", action="store_true", help="start every module's session over")
    parser.add_argument(
        "--survivors-again", action="store_true", help="judge only the surviving mutants again (after new scenarios)"
    )
    parser.add_argument(
        "--kept-survivors",
        action="store_true",
        help="judge again only the survivors kept (sessions here, else docs/mutation/verdicts.jsonl) of the modules "
        "given, else of every module that keeps one; no other mutant",
    )
    parser.add_argument(
        "--no-map",
        action="store_true",
        help="judge every mutant by all the features of its module, not only the scenarios that run its line",
    )
    parser.add_argument(
        "--sample",
        type=int,
        help="judge a random sample of this many mutants of the modules (all of app/): the score estimated, "
        "with its 95 %% interval",
    )
    parser.add_argument("--seed", type=int, help="the sample's seed (printed; the same seed draws the same mutants)")
    parser.add_argument(
        "--check-equivalents",
        action="store_true",
        help="judge the mutants a recorded equivalent names too (settled unjudged otherwise): a killed one shows "
        "its entry wrong",
    )
    parser.add_argument(
        "--equivalents",
        action="store_true",
        help="judge only the mutants a recorded equivalent names (in the modules given, else every module an entry "
        "names), and say which entries held and which are wrong",
    )
    args = parser.parse_args(argv)
    if args.sample is not None and args.sample < 1:
        parser.error("--sample needs at least one mutant")
    if args.sample and args.seed is None:  # drawn here, so the run in the checkout of its own prints the same
        args.seed = random.randrange(1_000_000)
        argv = [*argv, "--seed", str(args.seed)]
    if args.standing and args.sample:
        print(sample_standing(args.out, args.sample, args.seed, equivalents_known()))
        return 0
    if args.standing:
        print(standing(args.out, equivalents_known()))
        return 0
    if os.environ.get(OWN_TREE) != "1":
        without_out = [a for n, a in enumerate(argv) if a != "--out" and (n == 0 or argv[n - 1] != "--out")]
        code = None
        try:
            code = in_a_checkout_of_its_own(without_out, args.out.resolve())
            return code
        finally:  # stopped or not (unless another run holds the sessions): what was judged outlives the reports
            written = keep(args.out, SCOPE) if code != ANOTHER_RUN else []
            if written:
                print(
                    f"mutation: the verdicts of {len(written)} modules kept in {LEDGER.relative_to(REPO_ROOT)} "
                    "(commit it: the next checkout and machine go on from them)",
                    file=sys.stderr,
                )
    equivalents = equivalents_known()
    every = modules_named(equivalents, SCOPE) if args.equivalents else list(SCOPE)
    if args.kept_survivors and not args.modules:
        every = modules_with_survivors(every, args.out, equivalents)
    modules = args.modules.split(",") if args.modules else every
    unknown = [m for m in modules if not (REPO_ROOT / m).is_file()]
    if unknown:
        parser.error(f"no such module: {', '.join(unknown)}")
    edited = [m for m in modules if not _unchanged(m)]
    if edited:  # a mutant is undone by putting the committed file back: uncommitted work would be lost
        parser.error(f"commit or stash your changes first: {', '.join(edited)}")
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # the platform compiles each mutant afresh, never a stale .pyc
    judged_by_line = {} if args.no_map else {MAP_VARIABLE: str(ensure_map(args.out, REPO_ROOT))}
    stack = Stack({}, log_dir=args.out / "stack-logs")
    stack.start()
    scores = []
    try:
        env = {**os.environ, **stack.env, **judged_by_line}
        if args.kept_survivors:
            return run_kept_survivors(modules, args.out, env, args.timeout, equivalents)
        if args.equivalents:
            return run_equivalents(modules, args.out, env, args.timeout, equivalents)
        if args.sample:
            return run_sample(
                modules, args.out, env, args.timeout, args.sample, args.seed, equivalents, args.survivors_again
            )
        for module in modules:
            features = ", ".join(FEATURES_FOR.get(module, WHOLE_SPECIFICATION))
            judged_by = f"the scenarios that run its line, else {features}" if judged_by_line else features
            print(f"mutation: {module}: each mutant judged by {judged_by}", file=sys.stderr)
            try:
                run_module(
                    module,
                    args.out,
                    env,
                    args.timeout,
                    args.fresh,
                    args.survivors_again,
                    equivalents,
                    args.check_equivalents,
                )
            except (KeyboardInterrupt, subprocess.CalledProcessError) as stopped:
                if isinstance(stopped, subprocess.CalledProcessError) and stopped.returncode not in (130, -2):
                    raise
                print(
                    f"mutation: stopped during {module}; the verdicts so far are kept: run it again to go on",
                    file=sys.stderr,
                    flush=True,
                )
                return 130
            score = read_session(module, args.out / f"{slug(module)}.sqlite")
            judge_equivalents(score, equivalents)
            scores.append(score)
            shown = f"{score.score:.1f} %" if score.score is not None else "-"
            print(f"mutation: {module}: score {shown}", file=sys.stderr, flush=True)
            for wrong in wrong_equivalents(score, equivalents):
                print(
                    f"mutation: {module}:{wrong.line} {wrong.operator}: a recorded equivalent names this mutant, and "
                    f"it was killed: the entry is wrong ({wrong.mutated_line.strip()})",
                    file=sys.stderr,
                    flush=True,
                )
    finally:
        stack.stop()
    table = summary(scores)
    print(table)
    (args.out / "summary.md").write_text(table + "\n")
    (args.out / "summary.json").write_text(
        json.dumps(
            [{"module": s.module, "mutants": [m.__dict__ for m in s.mutants], "score": s.score} for s in scores],
            indent=1,
        )
    )
    killed = sum(s.count("killed") for s in scores)
    judged = killed + sum(s.count("survived") for s in scores)
    return 0 if judged and 100.0 * killed / judged >= TARGET_SCORE else 1


if __name__ == "__main__":
    sys.exit(main())
