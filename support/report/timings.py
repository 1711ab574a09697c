"""Where the last run's time went: the slowest scenarios, the median, and the total, from behave's JUnit files.

    .venv/bin/python -m support.report.timings [reports/junit] [--top 10]

Prints the slowest scenarios and writes every scenario's time, slowest first, to ``reports/timings.txt``;
counts the scenarios that passed only on their retry (``@flaky``) and marks them flaky in the Allure results;
posts the outcome to a chat channel when ``SPEC_WEBHOOK_URL`` is set (``support/report/chat_summary.py``).
``make spec`` runs it after every run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from support.report.chat_summary import message, post_if_asked
from support.report.flaky_results import mark_flaky_passes


@dataclass(frozen=True)
class Timed:
    seconds: float
    feature: str
    scenario: str
    status: str


def read(junit_dir: Path) -> list[Timed]:
    timed = []
    for path in sorted(junit_dir.rglob("*.xml")):
        for case in ET.parse(path).getroot().iter("testcase"):
            status = case.get("status", "passed")
            if status == "skipped":
                continue
            feature = case.get("classname", path.stem).split(".")[0:2]
            timed.append(Timed(float(case.get("time", 0)), "/".join(feature), case.get("name", "?"), status))
    return sorted(timed, key=lambda t: t.seconds, reverse=True)


def summary(timed: list[Timed], top: int) -> str:
    if not timed:
        return "timings: no scenario results in the JUnit files"
    total = sum(t.seconds for t in timed)
    lines = [
        f"timings: {len(timed)} scenarios, {total:.1f} s in scenarios, median {statistics.median(t.seconds for t in timed):.2f} s; "
        f"the {min(top, len(timed))} slowest:"
    ]
    lines += [f"  {t.seconds:6.2f} s  {t.feature}: {t.scenario}" for t in timed[:top]]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("junit_dir", nargs="?", default="reports/junit")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--out", default="reports/timings.txt")
    parser.add_argument("--results", default="reports/allure-results", help="Allure results, for the flaky count")
    args = parser.parse_args(argv)
    timed = read(Path(args.junit_dir))
    print(summary(timed, args.top))
    flaky = mark_flaky_passes(Path(args.results))
    if flaky:
        print(f"flaky: {len(flaky)} scenario(s) passed only on their retry, not counted as plain passes:")
        print("".join(f"  {name}\n" for name in flaky), end="")
    post_if_asked(
        message([(f"{t.feature}: {t.scenario}", t.status) for t in timed], flaky, sum(t.seconds for t in timed))
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("".join(f"{t.seconds:.3f}\t{t.status}\t{t.feature}\t{t.scenario}\n" for t in timed))
    remember_seconds(Path(args.out).parent / KNOWN_SECONDS, timed)
    return 0


KNOWN_SECONDS = "scenario-seconds.txt"  # every scenario's latest time, whichever run last ran it


def remember_seconds(path: Path, timed: list[Timed]) -> None:
    """Each scenario's time of this run, over what earlier runs knew of the others: a run of a few
    scenarios (make perf, one feature) leaves the next whole run's shards and time left well estimated."""
    known: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            fields = line.split("\t")
            if len(fields) == 4:
                known[fields[3]] = line
    known.update({t.scenario: f"{t.seconds:.3f}\t{t.status}\t{t.feature}\t{t.scenario}" for t in timed})
    path.write_text("".join(f"{line}\n" for line in known.values()))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
