"""Allure labels that follow from where a feature lives, so feature files need not repeat them.

The epic is the business area (the folder under ``features/``) and the owner is
the team that answers for it. A feature that states its own epic or owner in a
tag keeps it. Feature and story labels come from allure-behave itself (feature
names), story from the scenario (or outline) name; severity from ``@blocker``, ``@critical``,
``@normal``, ``@minor``, ``@trivial``, ``normal`` where a scenario names none.
"""

from __future__ import annotations

from pathlib import Path

from behave.model import Tag

from support.report.allure_formatter import top_level_scenarios

AREAS: dict[str, tuple[str, str]] = {
    "sales": ("Sales", "sales-team"),
    "billing": ("Billing", "finance-team"),
    "tenancy": ("Tenancy", "platform-team"),
    "compliance": ("Compliance", "compliance-team"),
    "finance": ("Finance", "finance-team"),
    "assistant": ("Assistant", "assistant-team"),
    "resilience": ("Resilience", "platform-team"),
    "operations": ("Operations", "platform-team"),
    "journeys": ("Journeys", "product-team"),
}


SEVERITIES = frozenset({"blocker", "critical", "normal", "minor", "trivial"})


def label_by_folder(features: list) -> None:
    for feature in features:
        area = Path(feature.filename).parent.name
        epic, owner = AREAS.get(area, (area.replace("_", " ").title(), "platform-team"))
        present = " ".join(feature.tags)
        for kind, value in (("epic", epic), ("owner", owner)):
            if f"allure.label.{kind}:" not in present:
                feature.tags.append(Tag(f"allure.label.{kind}:{value}", feature.line))
        for scenario in top_level_scenarios(feature):
            scenario.tags.append(Tag(f"allure.label.story:{scenario.name}", scenario.line))
            if not (SEVERITIES & set(scenario.tags) or SEVERITIES & set(feature.tags)):
                scenario.tags.append(Tag("normal", scenario.line))
