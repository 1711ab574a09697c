"""Wall time of the whole specification, sequential and parallel, each as ``make spec`` runs it.

    .venv/bin/python -m bench.spec_wall_time --jobs 2 --runs 3

Sequential is ``make spec`` (one behave process), parallel is ``make spec
JOBS=n`` (n workers on one stack; the @chaos scenarios alongside them, dealt
to n more, each on a stack of its own; the dealing uses reports/timings.txt). Each starts and stops its own stack, as a person running
it would, and the two alternate so that both meet the same machine. The
medians and their ratio are printed and written to reports/bench/spec_wall_time.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import figures
from support.stack.stack import ADDRESS_VARIABLES

REPORT = Path("reports/bench/spec_wall_time.json")
RESULTS = Path("reports/allure-results")


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of the command and everything it started (services included)."""
    shutil.rmtree(RESULTS, ignore_errors=True)
    before = _children_cpu()
    began = time.monotonic()
    code = subprocess.call(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.monotonic() - began
    if code != 0:
        raise SystemExit(f"bench: {' '.join(command[:4])}... failed (exit {code}); run `make spec` to see why")
    return elapsed, _children_cpu() - before


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.jobs < 2 or args.runs < 1:
        parser.error("--jobs must be at least 2 and --runs at least 1")
    sequential_cmd = [sys.executable, "-m", "behave", "-f", "allure", "-o", str(RESULTS), "-f", "null"]
    parallel_cmd = [sys.executable, "-m", "support.runners.parallel", "--jobs", str(args.jobs)]
    env = {k: v for k, v in os.environ.items() if k not in ADDRESS_VARIABLES}  # each run starts its own stack
    sequential, parallel, sequential_cpu, parallel_cpu = [], [], [], []
    for run in range(1, args.runs + 1):
        for walls, cpus, command in (
            (sequential, sequential_cpu, sequential_cmd),
            (parallel, parallel_cpu, parallel_cmd),
        ):
            wall, cpu = timed(command, env)
            walls.append(wall)
            cpus.append(cpu)
        print(
            f"bench: run {run}/{args.runs}: sequential {sequential[-1]:.2f} s ({sequential_cpu[-1]:.0f} CPU-s), "
            f"parallel ({args.jobs} jobs) {parallel[-1]:.2f} s ({parallel_cpu[-1]:.0f} CPU-s)",
            flush=True,
        )
    seq, par = statistics.median(sequential), statistics.median(parallel)
    summary = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "jobs": args.jobs,
        "runs": args.runs,
        "sequential_s": [round(s, 2) for s in sequential],
        "parallel_s": [round(p, 2) for p in parallel],
        "sequential_cpu_s": [round(c, 1) for c in sequential_cpu],
        "parallel_cpu_s": [round(c, 1) for c in parallel_cpu],
        "sequential_median_s": round(seq, 2),
        "parallel_median_s": round(par, 2),
        "speed_up": round(seq / par, 2),
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(summary, indent=2))
    key = f"spec_wall_time_{args.jobs}"
    runs = [*figures.previous_runs(key), summary][-2:]
    figures.record(
        key,
        order=20 + args.jobs,
        what=f"whole specification, `make spec` against `make spec JOBS={args.jobs}` ({args.jobs} workers on one stack,"
        f" @chaos alongside dealt to {args.jobs} more on stacks of their own), each starting its own stacks, alternated"
        " in the same invocation; CPU-seconds of everything each started; target 1.5×",
        figure=" and ".join(
            f"medians {r['sequential_median_s']:.1f} s vs {r['parallel_median_s']:.1f} s: **{r['speed_up']:.2f}×**"
            f" (runs {'/'.join(f'{x:.0f}' for x in r['sequential_s'])} vs"
            f" {'/'.join(f'{x:.0f}' for x in r['parallel_s'])} s{_cpu(r)})"
            for r in runs
        ),
        command=f".venv/bin/python -m bench.spec_wall_time --jobs {args.jobs} --runs {args.runs}",
        runs=runs,
    )
    print(
        f"bench: sequential {seq:.2f} s, parallel {par:.2f} s with {args.jobs} jobs: "
        f"{seq / par:.2f}x, stack start-up included ({summary['machine']})"
    )


def _cpu(run: dict) -> str:
    if "sequential_cpu_s" not in run:  # recorded before CPU was
        return ""
    return (
        f"; CPU {'/'.join(f'{x:.0f}' for x in run['sequential_cpu_s'])} vs"
        f" {'/'.join(f'{x:.0f}' for x in run['parallel_cpu_s'])} CPU-s"
    )


if __name__ == "__main__":
    main()
