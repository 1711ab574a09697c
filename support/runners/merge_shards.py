"""Several machines' shards of one specification made one run again: ``make merge SHARDS="dir dir dir"``.

    python -m support.runners.merge_shards reports-1 reports-2 reports-3 [--into reports]

Each folder is what one machine's ``make spec SHARD=i/N`` left in its reports folder (its CI artifact):
``allure-results/``, ``junit/``, ``rerun.txt``, ``run.json`` and ``shard.json``. The merge copies the results
and the JUnit files into one reports folder, joins the scenarios to run again, and checks the shards make
one whole: every shard of 1..N once, one commit and one selection, each scenario dealt to exactly one
shard and reported by it. It then prints the one summary the unsharded run would have printed; ``make
merge`` goes on to build the one Allure report and the one living documentation from it. Exit code: 0
when every scenario passed and the shards make a whole.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from support.report.terminal import Watch, summary
from support.runners.parallel import selected_scenarios

RUN_AGAIN = "make rerun (reads reports/rerun.txt)"


@dataclass(frozen=True)
class ShardFolder:
    folder: Path
    number: int
    of: int
    selection: list[str]
    scenarios: list[str]
    commit: str

    @classmethod
    def read(cls, folder: Path) -> ShardFolder:
        facts_file, run_file = folder / "shard.json", folder / "run.json"
        if not facts_file.is_file():
            raise ValueError(f"{folder}: no shard.json (is it the reports folder of a `make spec SHARD=i/N`?)")
        facts = json.loads(facts_file.read_text())
        run = json.loads(run_file.read_text()) if run_file.is_file() else {}
        return cls(
            folder, facts["shard"], facts["of"], facts["selection"], facts["scenarios"], run.get("commit", "unknown")
        )


def problems_of(shards: list[ShardFolder]) -> list[str]:
    """Why the shards do not make one whole run (none when they do)."""
    found: list[str] = []
    sizes = {shard.of for shard in shards}
    if len(sizes) != 1:
        return [f"the shards were dealt over different numbers of machines: {sorted(sizes)}"]
    of = sizes.pop()
    numbers = Counter(shard.number for shard in shards)
    missing = [n for n in range(1, of + 1) if n not in numbers]
    if missing:
        found.append(f"shards missing: {', '.join(f'{n}/{of}' for n in missing)}")
    found += [f"shard {n}/{of} given {count} times" for n, count in sorted(numbers.items()) if count > 1]
    if len({tuple(shard.selection) for shard in shards}) > 1:
        found.append("the shards ran different selections: " + "; ".join(" ".join(s.selection) for s in shards))
    if len({shard.commit.split()[0] for shard in shards}) > 1:
        found.append("the shards ran different commits: " + ", ".join(sorted({s.commit for s in shards})))
    dealt = Counter(location for shard in shards for location in shard.scenarios)
    found += [f"{location} was dealt to {n} shards" for location, n in sorted(dealt.items()) if n > 1]
    return found


def merge(shards: list[ShardFolder], into: Path) -> Watch:
    """Copies every shard's results into ``into`` (what was there before is replaced); returns them read."""
    results, junit = into / "allure-results", into / "junit"
    for stale in (results, junit):
        shutil.rmtree(stale, ignore_errors=True)
    results.mkdir(parents=True)
    rerun: list[str] = []
    for shard in sorted(shards, key=lambda s: s.number):
        for path in (shard.folder / "allure-results").glob("*"):
            if path.is_file():
                shutil.copy2(path, results / path.name)
        for worker in (shard.folder / "junit").glob("*"):
            if worker.is_dir():
                shutil.copytree(worker, junit / f"shard-{shard.number}-{worker.name}")
        rerun_file = shard.folder / "rerun.txt"
        if rerun_file.is_file():
            rerun += [line for line in rerun_file.read_text().splitlines() if line.strip()]
    (into / "rerun.txt").write_text("".join(f"{line}\n" for line in rerun))
    first = min(shards, key=lambda s: s.number)
    run = json.loads((first.folder / "run.json").read_text()) if (first.folder / "run.json").is_file() else {}
    (into / "run.json").write_text(json.dumps({**run, "shards": first.of}, indent=1))
    (into / "shard.json").unlink(missing_ok=True)
    watch = Watch(results)
    watch.new()
    return watch


def never_dealt(shards: list[ShardFolder]) -> list[str]:
    """The scenarios of the shards' selection that no shard was dealt (machines that dealt by different times)."""
    dealt = {location for shard in shards for location in shard.scenarios}
    return [s.location for s in selected_scenarios(shards[0].selection) if s.location not in dealt]


def unreported(shards: list[ShardFolder], watch: Watch) -> list[str]:
    """The scenarios a shard was dealt and reported no result for (its machine stopped early)."""
    reported = {result.location for result in watch.results.values()}
    return [location for shard in shards for location in shard.scenarios if location not in reported]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="each shard's reports folder")
    parser.add_argument("--into", type=Path, default=Path("reports"), help="the reports folder to merge into")
    args = parser.parse_args(argv)
    if any(folder.resolve() == args.into.resolve() for folder in args.folders):
        parser.error("merge into a folder other than the shards' own")
    try:
        shards = [ShardFolder.read(folder) for folder in args.folders]
    except (ValueError, KeyError, json.JSONDecodeError) as bad:
        print(f"merge: {bad}", file=sys.stderr)
        return 2
    problems = problems_of(shards)
    if not problems:
        problems += [f"{location} was dealt to no shard" for location in never_dealt(shards)]
    watch = merge(shards, args.into)
    missing = unreported(shards, watch)
    dealt = sum(len(shard.scenarios) for shard in shards)
    print(f"merge: {len(shards)} shards of {shards[0].of}, {dealt} scenarios dealt, into {args.into}/", flush=True)
    print(summary(watch.results, RUN_AGAIN), flush=True)
    for problem in problems:
        print(f"merge: {problem}", file=sys.stderr)
    if missing:
        print(
            f"merge: {len(missing)} scenarios dealt and never reported, e.g. {', '.join(missing[:5])}", file=sys.stderr
        )
    failed = any(result.failed for result in watch.results.values())
    return 0 if not problems and not missing and not failed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
