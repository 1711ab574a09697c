"""A hung scenario fails at its time limit and the run goes on; a @flaky scenario passing on its retry is marked flaky.

Runs behave on a small feature with the same hooks environment.py uses, and the Allure formatter.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from support.report.flaky_results import mark_flaky_passes
from support.report.layout import REPO_ROOT

ENVIRONMENT = """
from support.scenario import time_limit
from support.scenario.flaky import retry_flaky

def before_feature(context, feature):
    retry_flaky(feature)

def before_scenario(context, scenario):
    time_limit.arm_for(scenario, context.config.userdata)

def after_scenario(context, scenario):
    time_limit.arm_for_cleanup(scenario)

def after_all(context):
    time_limit.stop()
"""

STEPS = """
import time
from pathlib import Path
from behave import given

@given("a wait of {seconds:d} seconds")
def step_wait(context, seconds):
    time.sleep(seconds)

@given("a step that fails the first {times:d} times, counted in {name}")
def step_fails_at_first(context, times, name):
    counter = Path(name)
    count = int(counter.read_text()) if counter.exists() else 0
    counter.write_text(str(count + 1))
    assert count >= times, f"attempt {count + 1} fails"
"""

FEATURE = """
Feature: Time limits and retries
  @time_limit:1
  Scenario: A scenario that hangs
    Given a wait of 30 seconds

  Scenario: The next scenario
    Given a wait of 0 seconds

  @flaky
  Scenario: Fails once, then passes
    Given a step that fails the first 1 times, counted in once.txt

  @flaky
  Scenario: Fails every time
    Given a step that fails the first 5 times, counted in always.txt
"""


def _run(tmp_path: Path) -> tuple[subprocess.CompletedProcess, dict[str, list[dict]], float]:
    (tmp_path / "features" / "steps").mkdir(parents=True)
    (tmp_path / "features" / "environment.py").write_text(ENVIRONMENT)
    (tmp_path / "features" / "steps" / "steps.py").write_text(STEPS)
    (tmp_path / "features" / "limits.feature").write_text(FEATURE)
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "behave", "--no-junit", "-f", "allure_behave.formatter:AllureFormatter",
         "-o", "results", "-f", "plain", "features"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    took = time.monotonic() - began
    results: dict[str, list[dict]] = {}
    for path in (tmp_path / "results").glob("*-result.json"):
        result = json.loads(path.read_text())
        results.setdefault(result["name"], []).append(result)
    return done, results, took


def test_a_hung_scenario_fails_at_its_limit_and_the_next_runs(tmp_path):
    done, results, took = _run(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert took < 20, f"the run took {took:.1f} s: the limit of 1 s did not stop the 30 s wait"
    [hung] = results["A scenario that hangs"]
    assert hung["status"] in ("failed", "broken")
    assert "ran past its time limit of 1 s" in hung["statusDetails"]["message"]
    assert [r["status"] for r in results["The next scenario"]] == ["passed"]


def test_a_flaky_scenario_passing_on_its_retry_is_marked_flaky_not_passed(tmp_path):
    _, results, _ = _run(tmp_path)
    once = sorted(results["Fails once, then passes"], key=lambda r: r["start"])
    assert [r["status"] for r in once] == ["failed", "passed"]
    always = results["Fails every time"]
    assert [r["status"] for r in always] == ["failed", "failed"], "a scenario failing its retry too stays failed"
    flaky = mark_flaky_passes(tmp_path / "results")
    assert flaky == ["Time limits and retries: Fails once, then passes"]
    marked = [json.loads(p.read_text()) for p in (tmp_path / "results").glob("*-result.json")]
    assert [r["name"] for r in marked if r.get("statusDetails", {}).get("flaky")] == ["Fails once, then passes"]
