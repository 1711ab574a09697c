"""Times the embedded stack: start-up to a ready platform, and stop, over several runs.

    .venv/bin/python -m bench.stack_startup --runs 5

Each run starts the stack as it is (the two platform instances forked from one import), then, as the
yardstick in the same run, with each instance a process of its own; the CPU-seconds of each start and stop
(every process the stack started) are counted too. Prints each run and the min / median / max, and writes
reports/bench/stack_startup.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
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
    starts, stops, cpus, separate_starts, separate_cpus = [], [], [], [], []
    for run in range(1, args.runs + 1):
        start, stop, cpu = cycle(fork_instances=True)
        starts.append(start)
        stops.append(stop)
        cpus.append(cpu)
        start, _, cpu = cycle(fork_instances=False)
        separate_starts.append(start)
        separate_cpus.append(cpu)
        print(
            f"run {run}/{args.runs}: start {starts[-1]:.2f} s ({cpus[-1]:.1f} CPU-s), stop {stops[-1]:.2f} s;"
            f" instances apart: start {separate_starts[-1]:.2f} s ({separate_cpus[-1]:.1f} CPU-s)",
            flush=True,
        )
    summary = {
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores, Python {platform.python_version()}",
        "runs": args.runs,
        "start_s": {"min": min(starts), "median": statistics.median(starts), "max": max(starts)},
        "stop_s": {"min": min(stops), "median": statistics.median(stops), "max": max(stops)},
        "cpu_s_median": round(statistics.median(cpus), 2),
        "apart_start_s_median": round(statistics.median(separate_starts), 2),
        "apart_cpu_s_median": round(statistics.median(separate_cpus), 2),
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(summary, indent=2))
    runs = [*figures.previous_runs("stack_startup"), summary]
    if any(r.get("runs") != args.runs for r in runs):
        runs = [summary]  # invocations of another length are not comparable
    described = " and ".join(
        f"median {r['start_s']['median']:.2f} s (min {r['start_s']['min']:.2f}, max {r['start_s']['max']:.2f})"
        + (
            f", {r['cpu_s_median']:.1f} CPU-s; instances apart in the same run {r['apart_start_s_median']:.2f} s,"
            f" {r['apart_cpu_s_median']:.1f} CPU-s"
            if "apart_start_s_median" in r
            else ""
        )
        for r in runs[-2:]
    )
    stop_medians = " / ".join(f"{r['stop_s']['median']:.2f}" for r in runs[-2:])
    figures.record(
        "stack_startup",
        order=10,
        what="embedded stack start-up to two ready platform instances (PostgreSQL copied from the migrated folder,"
        " Redis, the three doubles in one process, the two instances forked from one import), against the"
        " instances started apart in the same run; CPU-seconds of start and stop; target 2 s",
        figure=f"{len(runs[-2:])} invocation(s) of {args.runs} runs: {described}; stop {stop_medians} s",
        command=f".venv/bin/python -m bench.stack_startup --runs {args.runs}",
        runs=runs,
    )
    print(
        f"start-up: min {min(starts):.2f} s, median {statistics.median(starts):.2f} s, max {max(starts):.2f} s; "
        f"stop: median {statistics.median(stops):.2f} s  ({summary['machine']})"
    )


def cycle(*, fork_instances: bool) -> tuple[float, float, float]:
    """One start and stop: start-up seconds, stop seconds, CPU-seconds of everything the stack ran."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    stack = Stack({}, fork_instances=fork_instances).start()
    began = time.monotonic()
    stack.stop()
    stopped = time.monotonic() - began
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    return stack.startup_seconds, stopped, now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime


if __name__ == "__main__":
    main()
