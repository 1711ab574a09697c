"""Each scenario's Allure result opens with its feature's why and its rule's; issue links only with a tracker."""

from __future__ import annotations

from behave.parser import parse_feature

from support.report.narrative import carry_the_why

FEATURE = """\
@allure.issue:3
Feature: Invoice totals
  Lines are rounded one by one, so the total is what the client reads.

  Scenario: One line
    Given a line

  Rule: A half cent rounds up
    Banks round half up, and so do we.

    Scenario Outline: Half a cent on <net>
      The classic trap.
      Given a line of <net>

      Examples:
        | net  |
        | 1.01 |
        | 2.01 |
"""


def _described(issue_pattern: str | None):
    feature = parse_feature(FEATURE)
    carry_the_why([feature], issue_pattern)
    return feature, {scenario.name: scenario.description for scenario in feature.walk_scenarios()}


def test_every_scenario_opens_with_its_feature_narrative_and_its_rule():
    _, described = _described(None)
    feature_why = "**Invoice totals.** Lines are rounded one by one, so the total is what the client reads."
    assert described["One line"] == [feature_why]
    rule_why = "**Rule: A half cent rounds up.** Banks round half up, and so do we."
    examples = [name for name in described if name.startswith("Half a cent")]
    assert len(examples) == 2
    for name in examples:
        assert described[name] == [feature_why, "", rule_why, "", "The classic trap."]


def test_issue_links_are_dropped_without_a_tracker_and_kept_with_one():
    without, _ = _described("")
    assert "allure.issue:3" not in without.tags
    with_tracker, _ = _described("https://tracker.example.com/issues/{}")
    assert "allure.issue:3" in with_tracker.tags
