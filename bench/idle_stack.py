"""What an idle embedded stack costs: the CPU its processes spend over a while with nothing asked of them.

    .venv/bin/python -m bench.idle_stack --seconds 30

Starts the stack (``support.stack``), lets it settle for 5 s, then reads the CPU seconds of both platform
instances and of every process the stack started (PostgreSQL and its backends, Redis, the analytics store, the
doubles) over ``--seconds``. A stack idles between the tests of ``make test``; an instance idles between requests.
To compare two trees, run it in a worktree of each, alternated.
"""

from __future__ import annotations

import argparse
import time

import psutil

from support.stack.stack import Stack

SETTLE_SECONDS = 5.0


def _cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:  # ended meanwhile
            continue
        total += times.user + times.system
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the stack idles (default 30)")
    args = parser.parse_args()
    if args.seconds <= 0:
        parser.error("--seconds must be more than 0")
    with Stack():
        time.sleep(SETTLE_SECONDS)
        started = psutil.Process().children(recursive=True)
        instances = [p for p in started if "forked_instances" in " ".join(p.cmdline())]
        before = _cpu_seconds(instances), _cpu_seconds(started)
        time.sleep(args.seconds)
        after = _cpu_seconds(instances), _cpu_seconds(started)
    print(
        f"idle stack over {args.seconds:g} s: the platform's instances {after[0] - before[0]:.2f} CPU-s, "
        f"every process of the stack {after[1] - before[1]:.2f} CPU-s"
    )


if __name__ == "__main__":
    main()
