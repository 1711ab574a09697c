"""Every scenario's Allure result carries the why: its feature's narrative and the rule it belongs to.

allure-behave writes only a scenario's own description, so a reviewer would see
steps without the business reason they protect. Before the run, each scenario's
description is prefixed with its feature's narrative (and its rule's, where the
feature groups scenarios under ``Rule:``); Allure renders it as Markdown.

Issue links (``@allure.issue:N``) need a tracker address
(``-D AllureFormatter.issue_pattern=https://tracker.example.com/issues/{}``);
without one the tags are dropped, so the report never shows a link that leads nowhere.
"""

from __future__ import annotations

import allure
from behave.model import Rule

from support.report.evidence import attach_text

ISSUE_TAG = "allure.issue:"


def carry_the_why(features: list, issue_pattern: str | None) -> None:
    for feature in features:
        if not issue_pattern:
            _drop_issue_links(feature)
        rule = None
        for item in feature.walk_scenarios(with_outlines=True, with_rules=True):
            if isinstance(item, Rule):
                rule = item
                continue
            item.description = why(feature, rule, item.description)  # a feature's scenarios come before its rules


def why(feature, rule, own: list[str]) -> list[str]:
    """The Markdown a scenario's result opens with: the feature's narrative, its rule's, then its own words."""
    lines = [f"**{feature.name}.** " + " ".join(feature.description)] if feature.description else []
    if rule is not None:
        lines += ["", f"**Rule: {rule.name}.** " + " ".join(rule.description)]
    if own:
        lines += ["", *own]
    return lines


def _drop_issue_links(feature) -> None:
    feature.tags[:] = [tag for tag in feature.tags if not tag.startswith(ISSUE_TAG)]
    for scenario in feature.walk_scenarios(with_outlines=True):
        scenario.tags[:] = [tag for tag in scenario.tags if not tag.startswith(ISSUE_TAG)]


def skipped_because(scenario, reason: str) -> None:
    """Skips the scenario with its reason written into its Allure result (allure-behave would drop it):
    under its why, and as an attachment."""
    allure.dynamic.description("\n".join([*scenario.description, "", f"**Skipped:** {reason}"]))
    attach_text("skipped", reason)
    scenario.skip(reason)
