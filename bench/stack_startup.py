"""Times the embedded stack: start-up to a ready platform, and stop, over several runs.

    .venv/bin/python -m bench.stack_startup --runs 5

Prints each run and the min / median / max, and writes reports/bench/stack_startup.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

from bench import figures
from support.stack.stack import Stack

REPORT = Path("reports/bench/stack_startup.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="start/stop cycles (default 5)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    starts, stops = [], []
    for run in range(1, args.runs + 1):
        stack = Stack({}).start()
        began = time.monotonic()
        stack.stop()
        starts.append(stack.startup_seconds)
        stops.append(time.monotonic() - began)
        print(f"run {run}/{args.runs}: start {starts[-1]:.2f} s, stop {stops[-1]:.2f} s", flush=True)
    summary = {
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores, Python {platform.python_version()}",
        "runs": args.runs,
        "start_s": {"min": min(starts), "median": statistics.median(starts), "max": max(starts)},
        "stop_s": {"min": min(stops), "median": statistics.median(stops), "max": max(stops)},
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(summary, indent=2))
    runs = [*figures.previous_runs("stack_startup"), summary]
    if any(r.get("runs") != args.runs for r in runs):
        runs = [summary]  # invocations of another length are not comparable
    described = " and ".join(
        f"median {r['start_s']['median']:.2f} s (min {r['start_s']['min']:.2f}, max {r['start_s']['max']:.2f})"
        for r in runs[-2:]
    )
    stop_medians = " / ".join(f"{r['stop_s']['median']:.2f}" for r in runs[-2:])
    figures.record(
        "stack_startup",
        order=10,
        what="embedded stack start-up to two ready platform instances (PostgreSQL copied from the migrated folder,"
        " Redis, the three doubles in one process); target 2 s",
        figure=f"{len(runs[-2:])} invocation(s) of {args.runs} runs: {described}; stop {stop_medians} s",
        command=f".venv/bin/python -m bench.stack_startup --runs {args.runs}",
        runs=runs,
    )
    print(
        f"start-up: min {min(starts):.2f} s, median {statistics.median(starts):.2f} s, max {max(starts):.2f} s; "
        f"stop: median {statistics.median(stops):.2f} s  ({summary['machine']})"
    )


if __name__ == "__main__":
    main()
