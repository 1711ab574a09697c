"""Runs the specification in N behave processes against one stack, with progress and one summary.

    python -m support.runners.parallel --jobs 4 [--order random [--seed N]] [behave selection: paths, --tags ...]

Scenarios are listed by a dry run with the same selection, dealt to the
workers so that each has about the same work (by each scenario's time in the
last run, from ``reports/timings.txt``; the median for a scenario not in it),
and run with full Allure evidence into one results folder. Each worker sends
its requests to its own platform instance first (the stack's list of instances
turned by one per worker), so two workers keep both instances busy.
Scenarios tagged @chaos stop or break shared services, so they run one at a
time: after the others with one job; with N jobs, alongside the N workers,
dealt like them to N more behave processes, each on a stack of its own. The
stack is started once (or attached to, from PLATFORM_URL) and stopped at the
end, whatever happens. Exit code: 0 when every scenario passed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from support.report.behave_json import scenarios_with_their_status
from support.report.terminal import Progress, Watch, failure_block, summary
from support.stack.stack import Stack

REPORTS = Path(os.environ.get("SPEC_REPORTS") or "reports")  # the Makefile's REPORTS
RESULTS = REPORTS / "allure-results"
WORKERS = REPORTS / "workers"
RERUN_FILE = REPORTS / "rerun.txt"
# each scenario's latest time, whichever run ran it last (support.report.timings keeps it)
LAST_TIMINGS = REPORTS / "scenario-seconds.txt"
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


@dataclass(frozen=True)
class Listed:
    location: str
    tags: list[str]
    name: str


def shuffled_listed(scenarios: list[Listed], seed: int) -> list[Listed]:
    by_location = {s.location: s for s in scenarios}
    return [by_location[location] for location in shuffled(list(by_location), seed)]


class SelectionRefused(Exception):
    """behave would not list the selection (a path that does not exist, an option it does not know)."""


def selected_scenarios(selection: list[str]) -> list[Listed]:
    """Location, tags and name of every scenario the selection picks, from a behave dry run.

    Raises:
        SelectionRefused: behave refused the selection, with the reason it gave.
    """
    with tempfile.NamedTemporaryFile(suffix=".json") as listing:
        listed = subprocess.run(
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
            capture_output=True,
            text=True,
        )
        if listed.returncode != 0:
            output = (listed.stdout + listed.stderr).splitlines()
            said = [line for line in output if line.strip() and not line.startswith("USING RUNNER")]
            raise SelectionRefused(said[-1] if said else f"behave exited {listed.returncode}")
        features = json.loads(Path(listing.name).read_text() or "[]")
    return [  # a scenario carries its feature's tags too (behave's listing gives each its own only)
        Listed(element["location"], [*feature.get("tags", []), *element.get("tags", [])], element.get("name", ""))
        for feature in features
        for element in scenarios_with_their_status(feature.get("elements", []))
        if element.get("status") == "untested"
    ]


def last_seconds(path: Path = LAST_TIMINGS) -> dict[str, float]:
    """Each scenario's latest time, by name (``reports/scenario-seconds.txt``); empty when there was none."""
    seconds: dict[str, float] = {}
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return seconds
    for line in lines:
        fields = line.split("\t")
        if len(fields) == 4:
            try:
                seconds[_key(fields[3])] = float(fields[0])
            except ValueError:
                continue
    return seconds


def _key(name: str) -> str:
    """A scenario's name as behave's listing and its JUnit file both give it (an example row's suffix kept)."""
    return " ".join(name.split())


def deal(scenarios: list[Listed], jobs: int, seconds: dict[str, float]) -> list[list[str]]:
    """The scenarios in at most ``jobs`` shards of about equal time: the longest first, each to the shard
    with the least so far (a scenario without a time counts the median). Each shard keeps the given order."""
    return [shard for shard in dealt(scenarios, jobs, seconds) if shard]


def dealt(scenarios: list[Listed], jobs: int, seconds: dict[str, float]) -> list[list[str]]:
    """``deal``'s shards, exactly ``jobs`` of them (the last may be empty when there are fewer scenarios)."""
    known = [seconds[_key(s.name)] for s in scenarios if _key(s.name) in seconds]
    guess = statistics.median(known) if known else 1.0
    cost = {s.location: seconds.get(_key(s.name), guess) for s in scenarios}
    position = {s.location: n for n, s in enumerate(scenarios)}
    loads = [0.0] * jobs
    shards: list[list[str]] = [[] for _ in range(jobs)]
    for location in sorted(cost, key=lambda loc: (-cost[loc], position[loc])):
        lightest = loads.index(min(loads))
        shards[lightest].append(location)
        loads[lightest] += cost[location]
    return [sorted(shard, key=position.__getitem__) for shard in shards]


@dataclass(frozen=True)
class Shard:
    """One machine's part of a specification split over several (``make spec SHARD=i/N``)."""

    number: int
    of: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        number, _, of = text.partition("/")
        if not (number.isdigit() and of.isdigit()) or not 1 <= int(number) <= int(of):
            raise ValueError(f"SHARD must be i/N with 1 <= i <= N, e.g. 2/3 (got {text!r})")
        return cls(int(number), int(of))

    def __str__(self) -> str:
        return f"{self.number}/{self.of}"

    def of_these(self, scenarios: list[Listed], seconds: dict[str, float]) -> list[Listed]:
        """The scenarios this machine runs: the selection dealt over every machine as ``deal`` deals them
        over workers (the @chaos ones apart, so each machine gets its share of them), by ``seconds``. Every
        machine given the same selection and the same times deals alike, so each scenario runs on exactly
        one of them."""
        mine: set[str] = set()
        for group in (
            [s for s in scenarios if EXCLUSIVE_TAG not in s.tags],
            [s for s in scenarios if EXCLUSIVE_TAG in s.tags],
        ):
            mine.update(dealt(group, self.of, seconds)[self.number - 1])
        return [s for s in scenarios if s.location in mine]


def turned(env: dict[str, str], by: int) -> dict[str, str]:
    """The stack's addresses with its instances' list (and their logs) turned by ``by``: the first instance
    of the list, which a worker's requests go to unless a scenario asks for another, differs per worker."""
    urls = [url for url in env.get("PLATFORM_URLS", "").split(",") if url]
    if len(urls) < 2:
        return env
    shift = by % len(urls)
    turned_env = {**env, "PLATFORM_URLS": ",".join(urls[shift:] + urls[:shift]), "PLATFORM_URL": urls[shift]}
    logs = [log for log in env.get("PLATFORM_LOGS", "").split(",") if log]
    if len(logs) == len(urls):
        turned_env["PLATFORM_LOGS"] = ",".join(logs[shift:] + logs[:shift])
    return turned_env


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


def run_all(
    jobs: int,
    selection: list[str],
    seed: int | None = None,
    display: str | None = None,
    shard: Shard | None = None,
    shard_times: Path | None = None,
) -> int:
    """Runs the selection over ``jobs`` workers (and the @chaos scenarios as the module says), printing each
    failure as it happens, progress, and one summary. ``display``: a behave format for the terminal instead
    (one worker only; its own output is shown as it runs)."""
    scenarios = selected_scenarios(selection)
    tags = [option for option in selection if option.startswith("--tags")]
    if not scenarios:
        print("spec: the selection picks no scenario", file=sys.stderr)
        return 1
    if shard is not None:
        times = last_seconds(shard_times) if shard_times else {}
        listed = len(scenarios)
        scenarios = shard.of_these(scenarios, times)
        print(
            f"spec: shard {shard}: {len(scenarios)} of the {listed} scenarios of the selection, dealt by "
            + (f"their times in {shard_times}" if times else "their order (no SHARD_TIMES given)"),
            flush=True,
        )
        write_shard_facts(shard, selection, scenarios)
        if not scenarios:
            print("spec: this shard has no scenario to run", flush=True)
            return 0
    exclusive = [s for s in scenarios if EXCLUSIVE_TAG in s.tags]
    shared = [s for s in scenarios if EXCLUSIVE_TAG not in s.tags]
    if seed is not None:
        shared, exclusive = shuffled_listed(shared, seed), shuffled_listed(exclusive, seed)
        print(
            f"spec: scenarios in random order, seed {seed} (`make spec ORDER=random SEED={seed}` repeats it)",
            flush=True,
        )
    for earlier in (
        RESULTS,
        REPORTS / "junit",
        WORKERS,
    ):  # an earlier run's would be counted and reported as this one's
        shutil.rmtree(earlier, ignore_errors=True)
    RERUN_FILE.unlink(missing_ok=True)
    WORKERS.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    # PLANTED_DEFECT: set only by `make audit-spec`'s runs and by a person checking what a failure looks like
    stack = Stack(platform_workers=PLATFORM_WORKERS, planted_defect=os.environ.get("PLANTED_DEFECT") or None)
    # With more than one job, the faults run at the same time as the rest, each share on services of its own.
    overlap = bool(exclusive) and jobs > 1 and stack.embedded
    seconds = last_seconds()
    shards = deal(shared, jobs, seconds)
    exclusive_shards = deal(exclusive, jobs if overlap else 1, seconds)
    watch = Watch(RESULTS)
    expected = {_key(s.name): seconds.get(_key(s.name), _median(seconds)) for s in scenarios}
    progress = Progress(len(scenarios), expected, max(1, len(shards)))
    with stack, contextlib.ExitStack() as chaos_services:
        print(
            f"spec: {len(shared)} scenarios over {len(shards)} workers"
            f"{exclusive_plan(len(exclusive), len(exclusive_shards) if overlap else 0)}; "
            f"stack {f'up in {stack.startup_seconds:.2f} s' if stack.embedded else 'attached'}",
            flush=True,
        )
        env = {**os.environ, **stack.env}
        write_run_facts(seed=seed, jobs=jobs, platform_url=env.get("PLATFORM_URL"))
        workers = [
            _worker(f"worker-{n}", shard, turned(env, n - 1), display if len(shards) == 1 else None, tags)
            for n, shard in enumerate(shards, start=1)
        ]
        try:
            if overlap:
                for n, shard in enumerate(exclusive_shards, start=1):
                    own = chaos_services.enter_context(
                        Stack(platform_workers=PLATFORM_WORKERS, log_dir=stack.log_dir / f"{EXCLUSIVE_TAG}-{n}")
                    )
                    workers.append(_worker(f"exclusive-{n}", shard, {**os.environ, **own.env}, None, tags))
            codes = _follow(workers, watch, progress, quiet=display is not None)
            if exclusive and not overlap:
                print(f"spec: the {len(exclusive)} @{EXCLUSIVE_TAG} scenarios now, alone on the stack", flush=True)
                alone = _worker("exclusive", exclusive_shards[0], env, display, tags)
                codes += _follow([alone], watch, progress, quiet=display is not None)
        finally:
            for worker in workers:
                if worker.process.poll() is None:
                    worker.process.terminate()
                    worker.process.wait(10)
    _follow([], watch, progress, quiet=display is not None)
    return summarise(codes, watch, scenarios)


SHARD_FACTS = "shard.json"


def write_shard_facts(shard: Shard, selection: list[str], scenarios: list[Listed]) -> None:
    """What ``make merge`` needs of a shard (``reports/shard.json``): which of how many, the selection, and the
    scenarios it was dealt, so the merge can tell a scenario run twice or never."""
    facts = {
        "shard": shard.number,
        "of": shard.of,
        "selection": selection,
        "scenarios": [s.location for s in scenarios],
    }
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / SHARD_FACTS).write_text(json.dumps(facts, indent=1))


def write_run_facts(*, seed: int | None, jobs: int, platform_url: str | None = None) -> None:
    """What the reports say of the run (``reports/run.json``): the commit and branch, the target, the seed,
    the workers, the versions of Python, behave and the platform, and the platform's profile (its readiness
    says it)."""
    import platform as python
    from importlib.metadata import version

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else "unknown"

    target = os.environ.get("PLATFORM_URL") or "the embedded stack"
    dirty = " (with uncommitted changes)" if git("status", "--porcelain") not in ("", "unknown") else ""
    facts = {
        "commit": git("rev-parse", "--short", "HEAD") + dirty,
        "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
        "target": target,
        "seed": str(seed) if seed is not None else "file order",
        "jobs": jobs,
        "python": python.python_version(),
        "behave": version("behave"),
        "platform_version": _platform_version(),
        "platform_profile": _platform_profile(platform_url),
    }
    (REPORTS / "run.json").write_text(json.dumps(facts, indent=1))


def _platform_profile(platform_url: str | None) -> str:
    import requests

    from support.clients.paths import Operations

    try:
        return str(requests.get(f"{platform_url}{Operations.READY}", timeout=5).json().get("profile", "unknown"))
    except (requests.RequestException, ValueError, AttributeError):
        return "unknown"


def _platform_version() -> str:
    try:
        return str(json.loads((Path("docs") / "contract" / "openapi.json").read_text())["info"]["version"])
    except (OSError, ValueError, KeyError):
        return "unknown"


@dataclass
class Worker:
    name: str
    process: subprocess.Popen
    log: Path


def _worker(
    name: str, locations: list[str], env: dict[str, str], display: str | None, tags: list[str] | None = None
) -> Worker:
    """``tags``: the selection's, given with the locations (a tag asked for, make perf's @perf, outranks the
    default of behave.ini)."""
    locations = [*(tags or []), *locations]
    """One behave process over ``locations``; its output goes to its log (and to the terminal with ``display``)."""
    process = subprocess.Popen(
        behave_command(name, locations, display),
        env={**env, "SPEC_WORKER": name},
        stdout=None if display else subprocess.DEVNULL,
        stderr=None if display else subprocess.STDOUT,
    )
    return Worker(name, process, WORKERS / f"{name}.log")


def _follow(workers: list[Worker], watch: Watch, progress: Progress, *, quiet: bool) -> list[int]:
    """Until the workers end: each failure printed as it comes, and a progress line now and then."""
    while True:
        running = [w for w in workers if w.process.poll() is None]
        for done in watch.new():
            if done.failed and not quiet:
                print(failure_block(done), flush=True)
        if not running:
            break
        line = progress.line(watch.results, [_now_running(w.log) for w in running])
        if line and not quiet:
            print(line, flush=True)
        time.sleep(0.5)
    return [w.process.wait() for w in workers]


def _now_running(log: Path) -> str:
    """The scenario a worker runs now: the last one its log names."""
    try:
        with log.open("rb") as text:
            text.seek(0, os.SEEK_END)
            text.seek(max(0, text.tell() - 8192))
            tail = text.read().decode(errors="replace")
    except OSError:
        return ""
    names = [
        line.split(":", 1)[1].strip()
        for line in tail.splitlines()
        if line.strip().startswith(("Scenario:", "Scenario Outline:"))
    ]
    return names[-1] if names else ""


def _median(seconds: dict[str, float]) -> float:
    return statistics.median(seconds.values()) if seconds else 0.5


def exclusive_plan(count: int, stacks: int) -> str:
    """``stacks``: how many stacks of their own the @chaos scenarios share out (0: after the others, alone)."""
    if not count:
        return ""
    if stacks:
        return (
            f", and alongside them {count} @{EXCLUSIVE_TAG} one at a time on each of"
            f" {stacks} stack{'s' if stacks > 1 else ''} of their own"
        )
    return f", then {count} @{EXCLUSIVE_TAG} alone"


def summarise(codes: list[int], watch: Watch, scenarios: list[Listed] | None = None) -> int:
    failed = sorted(
        {
            line.strip()
            for rerun in WORKERS.glob("*.rerun")
            for line in rerun.read_text().splitlines()
            if line.strip() and not line.startswith("#")
        }
    )
    RERUN_FILE.write_text("\n".join(failed) + ("\n" if failed else ""))
    print(summary(watch.results, "make rerun (reads reports/rerun.txt)"), flush=True)
    reported = {r.location for r in watch.results.values()}
    unreported = [s for s in scenarios or [] if s.location not in reported]
    if unreported:  # a worker that died (an import error, a crash) leaves its scenarios without a result
        print(f"spec: {len(unreported)} scenarios reported no result (a worker ended early), e.g.:", flush=True)
        for listed in unreported[:5]:
            print(f"  {listed.location}  {listed.name}", flush=True)
    if failed or unreported:
        print(f"spec: the workers' whole output is in {WORKERS}/", flush=True)
    return 0 if not failed and not unreported and all(code == 0 for code in codes) else 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--jobs",
        type=int,
        default=4,
        help="behave workers sharing the stack (default 4); with more, @chaos runs alongside in as many more",
    )
    parser.add_argument("--order", choices=("file", "random"), default="file", help="scenario order (default: file)")
    parser.add_argument("--seed", default="", help="with --order random: the order's seed (default: a new one)")
    parser.add_argument("--format", default="", help="a behave format shown in the terminal instead (one worker)")
    parser.add_argument("--shard", default="", help="i/N: run this machine's part of the selection split over N")
    parser.add_argument("--shard-times", default="", help="with --shard: the scenario times every machine deals by")
    args, selection = parser.parse_known_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.seed and not args.seed.isdigit():
        parser.error("--seed must be a whole number")
    seed = None
    if args.order == "random":
        seed = int(args.seed) if args.seed else random.SystemRandom().randrange(1, 1_000_000)
    display = args.format if args.format not in ("", "progress") else None
    if display and args.jobs > 1:
        parser.error("--format shows one worker's own output: use it with --jobs 1")
    try:
        shard = Shard.parse(args.shard) if args.shard else None
    except ValueError as bad:
        parser.error(str(bad))
    shard_times = Path(args.shard_times) if args.shard_times else None
    if shard_times is not None and not shard_times.is_file():
        parser.error(f"--shard-times: no such file {shard_times}")
    if shard is None:
        (REPORTS / SHARD_FACTS).unlink(missing_ok=True)
    try:
        return run_all(args.jobs, selection, seed, display, shard, shard_times)
    except SelectionRefused as refused:
        print(f"spec: behave cannot run the selection {' '.join(selection) or '(all)'}: {refused}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
