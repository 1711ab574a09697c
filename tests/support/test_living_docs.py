"""The living documentation shows every feature and scenario with its last result, and explains every tag used."""

from __future__ import annotations

import json
import re

from behave.parser import parse_file

from support.documentation.living_docs import TAG_LEGEND, build, read_steps
from support.report.layout import REPO_ROOT

FEATURE = """\
@smoke
Feature: Invoice totals
  Lines are rounded one by one, so the total is what the client reads.

  @critical
  Scenario: One line
    Given a line

  Scenario: Two lines
    Given two lines

  Rule: A half cent rounds up
    Banks round half up, and so do we.

    Scenario: Half a cent
      Given a line of 1.01
"""


def _result(folder, name: str, status: str, stop: int) -> None:
    body = {"name": name, "status": status, "stop": stop, "labels": [{"name": "feature", "value": "Invoice totals"}]}
    (folder / f"{name.replace(' ', '-')}-{stop}-result.json").write_text(json.dumps(body))


def test_each_scenario_shows_its_latest_result_and_not_run_where_it_has_none(tmp_path):
    (tmp_path / "features" / "billing").mkdir(parents=True)
    (tmp_path / "features" / "billing" / "totals.feature").write_text(FEATURE)
    results = tmp_path / "results"
    results.mkdir()
    _result(results, "One line", "failed", 1_000)
    _result(results, "One line", "passed", 2_000)  # a later run of the same scenario
    _result(results, "Half a cent", "failed", 1_500)
    page = build(results, tmp_path / "features", REPO_ROOT / "steps")
    assert "3 scenarios" in page
    assert re.search(r"<span id='counts'>1 passed, 1 failed, 1 not run</span>", page)
    assert "Lines are rounded one by one" in page and "Rule: A half cent rounds up" in page
    assert "Banks round half up" in page
    assert "<span class='status passed'>passed</span>One line" in page
    assert "<span class='status not-run'>not run</span>Two lines" in page


def test_every_tag_used_in_the_features_is_in_the_legend():
    pattern = {re.sub(r":\d+$", ":N", t) for t in TAG_LEGEND}
    used = set()
    for path in (REPO_ROOT / "features").rglob("*.feature"):
        feature = parse_file(str(path))
        used |= set(feature.tags)
        for scenario in feature.walk_scenarios(with_outlines=True):
            used |= set(scenario.tags)
    unexplained = sorted(t for t in used if re.sub(r":\d+$", ":N", t) not in pattern)
    assert unexplained == []


def test_the_step_catalogue_holds_every_step_with_what_it_does():
    steps = read_steps()
    assert len(steps) > 200
    assert all(step.doc for step in steps)
