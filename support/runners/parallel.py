"""Runs the specification in N behave processes against one stack, with progress and one summary.

    python -m support.runners.parallel --jobs 4 [--order random [--seed N]] [behave selection: paths, --tags ...]

Scenarios are listed by a dry run with the same selection, dealt round-robin
to the workers, and run with full Allure evidence into one results folder.
Scenarios tagged @chaos stop or break shared services, so they run one at a
time: after the others with one job, or alongside them, on a second stack of
their own, with more. The stack is started once (or attached to, from
PLATFORM_URL) and stopped at the end, whatever happens. Exit code: 0 when
every scenario passed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from support.stack.stack import Stack

REPORTS = Path("reports")
RESULTS = REPORTS / "allure-results"
WORKERS = REPORTS / "workers"
RERUN_FILE = REPORTS / "rerun.txt"
EXCLUSIVE_TAG = "chaos"
PLATFORM_WORKERS = 1  # measured: a second platform worker only adds contention on 2 cores


def shuffled(locations: list[str], seed: int) -> list[str]:
    """The scenarios in an order drawn from ``seed``: the features shuffled, and each feature's scenarios
    shuffled within it (behave runs locations in the order given; a feature's scenarios stay together so
    that its JUnit file holds all of them)."""
    draw = random.Random(seed)
    by_feature: dict[str, list[str]] = {}
    for location in locations:
        by_feature.setdefault(location.rsplit(":", 1)[0], []).append(location)
    features = list(by_feature.values())
    draw.shuffle(features)
    for scenarios in features:
        draw.shuffle(scenarios)
    return [location for scenarios in features for location in scenarios]


def selected_scenarios(selection: list[str]) -> list[tuple[str, list[str]]]:
    """(location, tags) of every scenario the selection picks, from a behave dry run."""
    with tempfile.NamedTemporaryFile(suffix=".json") as listing:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "behave",
                "--dry-run",
                "--no-summary",
                "--no-junit",
                "-f",
                "json",
                "-o",
                listing.name,
                *selection,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        features = json.loads(Path(listing.name).read_text() or "[]")
    return [  # a scenario carries its feature's tags too (behave's listing gives each its own only)
        (element["location"], [*feature.get("tags", []), *element.get("tags", [])])
        for feature in features
        for element in feature.get("elements", [])
        if element.get("status") == "untested"
    ]


def deal(locations: list[str], jobs: int) -> list[list[str]]:
    shards = [locations[i::jobs] for i in range(jobs)]
    return [shard for shard in shards if shard]


def behave_command(name: str, locations: list[str], display: str | None) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "behave",
        "-f",
        "allure",
        "-o",
        str(RESULTS),
        "-f",
        "rerun",
        "-o",
        str(WORKERS / f"{name}.rerun"),
        "-f",
        "plain",
        "-o",
        str(WORKERS / f"{name}.log"),
        "--junit-directory",
        str(REPORTS / "junit" / name),
    ]
    if display:
        command += ["-f", display]
    return command + locations


class Progress:
    """Counts finished scenarios from the results folder; prints a line when the count changes."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.started = time.monotonic()
        self._shown = -1

    def finished(self) -> tuple[int, int]:
        done = failed = 0
        for result in RESULTS.glob("*-result.json"):
            try:
                status = json.loads(result.read_text()).get("status")
            except (OSError, ValueError):
                continue  # being written right now
            done += 1
            failed += status in ("failed", "broken")
        return done, failed

    def show(self, force: bool = False) -> None:
        done, failed = self.finished()
        if done != self._shown or force:
            self._shown = done
            print(
                f"spec: {done}/{self.total} scenarios finished, {failed} failed "
                f"({time.monotonic() - self.started:.1f} s)",
                flush=True,
            )


def run_all(jobs: int, selection: list[str], seed: int | None = None) -> int:
    scenarios = selected_scenarios(selection)
    if not scenarios:
        print("spec: the selection picks no scenario", file=sys.stderr)
        return 1
    exclusive = [loc for loc, tags in scenarios if EXCLUSIVE_TAG in tags]
    shared = [loc for loc, tags in scenarios if EXCLUSIVE_TAG not in tags]
    if seed is not None:
        shared, exclusive = shuffled(shared, seed), shuffled(exclusive, seed)
        print(
            f"spec: scenarios in random order, seed {seed} (`make spec ORDER=random SEED={seed}` repeats it)",
            flush=True,
        )
    WORKERS.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    progress = Progress(len(scenarios))
    stack = Stack(platform_workers=PLATFORM_WORKERS)
    # With more than one job, the faults run at the same time as the rest, on services of their own.
    overlap = bool(exclusive) and jobs > 1 and stack.embedded
    shards = deal(shared, jobs - 1 if overlap else jobs)
    with stack, contextlib.ExitStack() as chaos_services:
        print(
            f"spec: {len(shared)} scenarios over {len(shards)} workers"
            f"{exclusive_plan(len(exclusive), overlap)}; "
            f"stack {f'up in {stack.startup_seconds:.2f} s' if stack.embedded else 'attached'}",
            flush=True,
        )
        env = {**os.environ, **stack.env}
        workers = [
            subprocess.Popen(
                behave_command(f"worker-{n}", shard, None), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
            )
            for n, shard in enumerate(shards, start=1)
        ]
        try:
            if overlap:
                own = chaos_services.enter_context(
                    Stack(platform_workers=PLATFORM_WORKERS, log_dir=stack.log_dir / EXCLUSIVE_TAG)
                )
                workers.append(
                    subprocess.Popen(
                        behave_command("exclusive", exclusive, None),
                        env={**os.environ, **own.env},
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.STDOUT,
                    )
                )
            while any(w.poll() is None for w in workers):
                progress.show()
                time.sleep(0.5)
            codes = [w.wait() for w in workers]
            if exclusive and not overlap:
                codes.append(
                    subprocess.call(
                        behave_command("exclusive", exclusive, None),
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.STDOUT,
                    )
                )
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.terminate()
                    worker.wait(10)
    progress.show(force=True)
    return summarise(codes)


def exclusive_plan(count: int, overlap: bool) -> str:
    if not count:
        return ""
    if overlap:
        return f", and alongside them {count} @{EXCLUSIVE_TAG} one at a time on a stack of their own"
    return f", then {count} @{EXCLUSIVE_TAG} alone"


def summarise(codes: list[int]) -> int:
    failed = sorted(
        {
            line.strip()
            for rerun in WORKERS.glob("*.rerun")
            for line in rerun.read_text().splitlines()
            if line.strip() and not line.startswith("#")
        }
    )
    RERUN_FILE.write_text("\n".join(failed) + ("\n" if failed else ""))
    for location in failed:
        print(f"spec: failed {location}", file=sys.stderr)
    if failed:
        print(f"spec: rerun the failures with `make rerun` ({RERUN_FILE}); worker logs in {WORKERS}/", file=sys.stderr)
    return 0 if not failed and all(code == 0 for code in codes) else 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=4, help="behave processes (default 4)")
    parser.add_argument("--order", choices=("file", "random"), default="file", help="scenario order (default: file)")
    parser.add_argument("--seed", default="", help="with --order random: the order's seed (default: a new one)")
    args, selection = parser.parse_known_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.seed and not args.seed.isdigit():
        parser.error("--seed must be a whole number")
    seed = None
    if args.order == "random":
        seed = int(args.seed) if args.seed else random.SystemRandom().randrange(1, 1_000_000)
    return run_all(args.jobs, selection, seed)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
