"""The specification split over several machines (make spec SHARD=i/N) and merged into one run (make merge)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from hamcrest import assert_that, contains_string, empty, equal_to, has_item, has_length, not_

from support.report.layout import REPO_ROOT
from support.runners import merge_shards
from support.runners.merge_shards import ShardFolder, problems_of
from support.runners.parallel import Listed, Shard, selected_scenarios

SMALL_SELECTION = ["features/sales/lead_listing.feature", "features/sales/deal_titles.feature"]


def _listed(count: int, chaos_every: int = 0) -> list[Listed]:
    return [
        Listed(f"features/x.feature:{n}", ["chaos"] if chaos_every and n % chaos_every == 0 else [], f"scenario {n}")
        for n in range(1, count + 1)
    ]


@pytest.mark.parametrize("machines", [1, 2, 3, 5])
@pytest.mark.parametrize("timed", [False, True])
def test_each_scenario_is_dealt_to_exactly_one_machine(machines, timed):
    scenarios = _listed(17, chaos_every=4)
    seconds = {f"scenario {n}": float(n % 7) for n in range(1, 18)} if timed else {}
    dealt = [Shard(n, machines).of_these(scenarios, seconds) for n in range(1, machines + 1)]
    locations = [s.location for shard in dealt for s in shard]
    assert_that(sorted(locations), equal_to(sorted(s.location for s in scenarios)), "every scenario once")
    chaos = [sum("chaos" in s.tags for s in shard) for shard in dealt]
    assert max(chaos) - min(chaos) <= 1, f"the @chaos scenarios spread over the machines: {chaos}"


DEAL_ELSEWHERE = """
from support.runners.parallel import Listed, Shard
scenarios = [Listed(f"features/x.feature:{n}", ["chaos"] if n % 4 == 0 else [], f"scenario {n}") for n in range(1, 31)]
seconds = {f"scenario {n}": float(n % 5) for n in range(1, 31)}
print([s.location for s in Shard(2, 3).of_these(scenarios, seconds)])
"""


def test_the_dealing_is_the_same_on_every_machine_given_the_same_times():
    """Two machines are two processes, each with its own hash seed: both deal machine 2 the same scenarios."""
    dealt = {
        subprocess.run(
            [sys.executable, "-c", DEAL_ELSEWHERE],
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert_that(dealt, has_length(1), "the scenarios machine 2 of 3 is dealt, on three machines")


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "a/b", "1/0", ""])
def test_a_shard_not_written_as_i_of_n_is_refused_saying_how(text):
    with pytest.raises(ValueError, match="SHARD must be i/N"):
        Shard.parse(text)


def _shard(tmp: Path, number: int, of: int, scenarios: list[str], results: dict[str, str], commit: str = "abc1234"):
    """A shard's reports folder as a machine leaves it: results (location -> status), JUnit, facts."""
    folder = tmp / f"shard-{number}"
    (folder / "allure-results").mkdir(parents=True)
    (folder / "junit" / "worker-1").mkdir(parents=True)
    (folder / "junit" / "worker-1" / "TESTS-x.xml").write_text("<testsuite/>")
    for location, status in results.items():
        result = {
            "name": f"scenario at {location}",
            "status": status,
            "labels": [{"name": "location", "value": location}, {"name": "feature", "value": "X"}],
            "statusDetails": {"message": "it broke"} if status == "failed" else {},
            "start": 0,
            "stop": 1000,
        }
        (folder / "allure-results" / f"{uuid.uuid4()}-result.json").write_text(json.dumps(result))
    failed = [location for location, status in results.items() if status == "failed"]
    (folder / "rerun.txt").write_text("".join(f"{line}\n" for line in failed))
    (folder / "run.json").write_text(json.dumps({"commit": commit, "jobs": 1}))
    facts = {"shard": number, "of": of, "selection": ["features/x.feature"], "scenarios": scenarios}
    (folder / "shard.json").write_text(json.dumps(facts))
    return folder


def test_merged_shards_give_one_summary_one_set_of_results_and_one_list_to_run_again(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(merge_shards, "never_dealt", lambda shards: [])
    one = _shard(
        tmp_path,
        1,
        2,
        ["features/x.feature:3", "features/x.feature:9"],
        {"features/x.feature:3": "passed", "features/x.feature:9": "failed"},
    )
    two = _shard(tmp_path, 2, 2, ["features/x.feature:5"], {"features/x.feature:5": "passed"})
    into = tmp_path / "merged"
    code = merge_shards.main([str(one), str(two), "--into", str(into)])
    said = capsys.readouterr().out
    assert code == 1, "a failed scenario in any shard fails the merged run"
    assert_that(said, contains_string("spec: 3 scenarios: 2 passed, 1 failed"))
    assert_that(said, contains_string("scenario at features/x.feature:9"))
    assert_that(list((into / "allure-results").glob("*-result.json")), has_length(3))
    assert_that(sorted(p.name for p in (into / "junit").iterdir()), equal_to(["shard-1-worker-1", "shard-2-worker-1"]))
    assert (into / "rerun.txt").read_text() == "features/x.feature:9\n"
    assert json.loads((into / "run.json").read_text())["shards"] == 2


def test_shards_that_do_not_make_a_whole_run_are_named(tmp_path):
    a = ShardFolder.read(_shard(tmp_path / "a", 1, 3, ["f:1", "f:2"], {}))
    b = ShardFolder.read(_shard(tmp_path / "b", 1, 3, ["f:2"], {}, commit="def5678"))
    problems = problems_of([a, b])
    assert_that(problems, has_item("shards missing: 2/3, 3/3"))
    assert_that(problems, has_item("shard 1/3 given 2 times"))
    assert_that(problems, has_item("f:2 was dealt to 2 shards"))
    assert_that(problems, has_item(contains_string("different commits")))
    c = ShardFolder.read(_shard(tmp_path / "c", 1, 2, [], {}))
    assert_that(problems_of([a, c]), equal_to(["the shards were dealt over different numbers of machines: [2, 3]"]))


def test_a_scenario_dealt_and_never_reported_fails_the_merge(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(merge_shards, "never_dealt", lambda shards: [])
    only = _shard(tmp_path, 1, 1, ["features/x.feature:3", "features/x.feature:7"], {"features/x.feature:3": "passed"})
    assert merge_shards.main([str(only), "--into", str(tmp_path / "merged")]) == 1
    assert_that(capsys.readouterr().err, contains_string("1 scenarios dealt and never reported"))


def test_three_machines_run_the_selection_once_and_the_merge_counts_what_one_machine_would(tmp_path):
    """Three shards of a small selection, each run as its machine would run it, then merged."""
    listed = selected_scenarios(SMALL_SELECTION)
    folders = []
    for number in (1, 2, 3):
        folder = tmp_path / f"shard-{number}"
        env = {
            **os.environ,
            "SPEC_REPORTS": str(folder),
            "STACK_LOG_DIR": str(tmp_path / f"stack-logs-{number}"),
        }
        env.pop("PLATFORM_URL", None)
        command = [sys.executable, "-m", "support.runners.parallel", "--jobs", "1", "--shard", f"{number}/3"]
        if number == 1:  # an earlier run's failure left in the folder is not this run's
            _an_earlier_failure_in(folder)
        done = subprocess.run(command + SMALL_SELECTION, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert_that(done.stdout, contains_string(f"spec: shard {number}/3: "))
        assert_that(done.stdout, not_(contains_string("failed in")))
        folders.append(folder)
    merged = tmp_path / "merged"
    done = subprocess.run(
        [sys.executable, "-m", "support.runners.merge_shards", "--into", str(merged), *map(str, folders)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert_that(done.stdout, contains_string(f"spec: {len(listed)} scenarios: {len(listed)} passed"))
    assert_that(done.stderr, equal_to(""))
    results = list((merged / "allure-results").glob("*-result.json"))
    assert_that(results, has_length(len(listed)))
    assert_that((merged / "rerun.txt").read_text(), equal_to(""))
    assert_that(list(merged.glob("shard.json")), empty())


def _an_earlier_failure_in(folder: Path) -> None:
    """A failed scenario's result, a worker's log and a rerun list, as an earlier run in ``folder`` leaves them."""
    results = folder / "allure-results"
    results.mkdir(parents=True)
    failed = {"name": "An earlier scenario", "status": "failed", "fullName": "features/x.feature: An earlier one"}
    (results / "0-earlier-result.json").write_text(json.dumps(failed))
    (folder / "workers").mkdir()
    (folder / "workers" / "worker-1.log").write_text("an earlier run's log")
    (folder / "rerun.txt").write_text("features/x.feature:1\n")
