"""Allure labels that follow from where a feature lives, so feature files need not repeat them.

The epic is the business area (the folder under ``features/``) and the owner is
the team that answers for it. A feature that states its own epic or owner in a
tag keeps it. The feature label comes from allure-behave itself (the feature's
name); no story label (the report groups by epic and feature, and a story per
scenario was a level of one scenario each); severity from ``@blocker``, ``@critical``,
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
            if not (SEVERITIES & set(scenario.tags) or SEVERITIES & set(feature.tags)):
                scenario.tags.append(Tag("normal", scenario.line))


def where_it_runs(features: list) -> None:
    """Each scenario's own labels (outline rows each with theirs): its file and line, which the terminal and
    the living documentation name it by, and the host and the worker that run it (Allure's timeline draws a
    row per worker; the runner names each worker in SPEC_WORKER)."""
    import os
    import socket

    host, worker = socket.gethostname(), os.environ.get("SPEC_WORKER", "behave")
    for feature in features:
        for scenario in feature.walk_scenarios():
            where = f"{scenario.location.filename}:{scenario.location.line}"
            for kind, value in (("location", where), ("host", host), ("thread", worker)):
                scenario.tags.append(Tag(f"allure.label.{kind}:{value}", scenario.line))
