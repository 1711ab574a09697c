"""Runs the specification once per planted defect and tells which scenarios caught it: ``make audit-spec``.

    python -m support.runners.audit [--defects NAME,NAME] [--parallel 2] [behave selection ...]

Each run has its own embedded stack whose platform carries one defect of
``support.defects.catalogue``. A control run without any defect goes along in
the same conditions: a scenario failing there proves nothing, is left out of
every verdict, and fails the audit. Then each defect's failing scenarios are
run again under it, and all of them once more without any defect: a scenario
catches a defect only if it failed twice with it and passed both times without
it, so a scenario that failed by chance (load, timing) is not counted. Writes
``reports/audit/audit.md`` and ``audit.json``, and per run its behave report,
log and stack logs. Exit code 0 when the control run passed and every defect
was caught; 130 when stopped (Ctrl-C, SIGTERM, SIGHUP).
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from support.defects.catalogue import CATALOGUE, defect_named
from support.runners.audit_report import print_table, write_reports
from support.runners.audit_results import Verdict, judge
from support.runners.audit_runs import CONTROL, Run, Runner, failing, run_all

DEFAULT_OUT = Path("reports") / "audit"


def audit(defects: list[str], selection: list[str], *, parallel: int, timeout: float, out: Path = DEFAULT_OUT) -> int:
    for earlier in ("audit.md", "audit.json"):  # a new audit: no verdict of an earlier one is left to mislead
        (out / earlier).unlink(missing_ok=True)
    runs = [Run(None, out / "control")] + [Run(name, out / name) for name in defects]
    runner = Runner(selection, timeout)
    began = time.monotonic()
    print(
        f"audit-spec: {len(runs)} runs of the specification ({len(defects)} defects and a control run), "
        f"{parallel} at a time; each starts its own stack",
        flush=True,
    )
    try:
        run_all(runner, runs, parallel, "run")
        control, defect_runs = runs[0], runs[1:]
        suspects = {run.defect: sorted(failing(run) - failing(control)) for run in defect_runs if not run.problem}
        again = [Run(d, out / d / "again", locations) for d, locations in suspects.items() if locations]
        every_suspect = sorted({loc for locations in suspects.values() for loc in locations})
        if every_suspect:
            again.append(Run(None, out / "control" / "again", every_suspect))
            print(
                f"audit-spec: running the {len(every_suspect)} failing scenarios again, with and without their defects",
                flush=True,
            )
            run_all(runner, again, parallel, "again")
    except KeyboardInterrupt:
        return 130
    control_again = next((r for r in again if r.defect is None), None)
    verdicts = [
        _verdict(run, control, next((r for r in again if r.defect == run.defect), None), control_again)
        for run in defect_runs
    ]
    control_verdict = Verdict(
        CONTROL,
        control.seconds,
        len(control.outcomes or []),
        [o for o in control.outcomes or [] if o.failing],
        control.problem,
    )
    print_table(control_verdict, verdicts, time.monotonic() - began, out)
    write_reports(out, control_verdict, verdicts, selection)
    healthy = not control.problem and control.outcomes is not None and not failing(control)
    if not healthy:
        print(
            "audit-spec: the control run failed; those scenarios prove nothing until they pass without a defect",
            file=sys.stderr,
        )
    return 0 if healthy and all(v.caught for v in verdicts) else 1


def _verdict(run: Run, control: Run, again: Run | None, control_again: Run | None) -> Verdict:
    """Caught by the scenarios that failed with the defect twice and passed without it twice."""
    if run.problem:
        return Verdict(run.label, run.seconds, problem=run.problem)
    problem = next((r.problem for r in (again, control_again) if r is not None and r.problem), "")
    if problem:
        return Verdict(run.label, run.seconds, problem=f"the second run failed: {problem}")
    failed_again = failing(again) if again else set()
    passed_without = (
        {o.location for o in control_again.outcomes or [] if o.status == "passed"} if control_again else set()
    )
    verdict = judge(run.label, run.seconds, run.outcomes or [], failing(control))
    return verdict.confirmed_by(failed_again & passed_without)


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Other arguments go to behave, e.g. features/billing or --tags=~@slow.",
    )
    parser.add_argument("--defects", default="", help="comma-separated names (default: the whole catalogue)")
    parser.add_argument("--parallel", type=int, default=2, help="runs at the same time (default 2)")
    parser.add_argument("--run-timeout", type=float, default=1200.0, help="seconds one run may take (default 1200)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"report folder (default {DEFAULT_OUT})")
    parser.add_argument("--list", action="store_true", help="list the catalogue and exit")
    args, selection = parser.parse_known_args(argv)
    if args.list:
        for defect in CATALOGUE:
            print(f"{defect.name:<36} {defect.summary}")
        return 0
    if args.parallel < 1:
        parser.error("--parallel must be at least 1")
    for stop in (signal.SIGTERM, signal.SIGHUP):  # stopped from outside: stop the runs as Ctrl-C does
        signal.signal(stop, _interrupt)
    names = [n.strip() for n in args.defects.split(",") if n.strip()] or [d.name for d in CATALOGUE]
    try:
        defects = [defect_named(name).name for name in names]
    except KeyError as exc:
        parser.error(exc.args[0])
    return audit(defects, selection, parallel=args.parallel, timeout=args.run_timeout, out=args.out)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
