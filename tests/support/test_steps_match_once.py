"""Every step a feature says matches exactly one step definition.

behave takes the first definition that matches and says nothing of the others, so a new, broader step can
silently take over an older one's text (it happened: "Sam's session {how}" swallowed "Sam's session is
signed out"). This reads every step of every feature against every definition.
"""

from __future__ import annotations

import importlib.util

from behave import step_registry
from behave.parser import parse_file

from support.areas.step_vocabulary import register_step_types
from support.report.layout import REPO_ROOT


def _definitions() -> dict[str, list]:
    register_step_types()
    registry = step_registry.registry
    registry.clear()
    for path in sorted((REPO_ROOT / "steps").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"steps_under_test.{path.stem}", path)
        assert spec is not None and spec.loader is not None
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
    return registry.steps


def _steps_of_every_feature() -> list:
    steps = []
    for path in sorted((REPO_ROOT / "features").rglob("*.feature")):
        feature = parse_file(str(path))
        for scenario in feature.walk_scenarios(with_outlines=False):
            steps.extend(scenario.all_steps)
    return steps


def test_every_step_of_every_feature_matches_exactly_one_definition():
    definitions = _definitions()
    problems = []
    seen = set()
    for step in _steps_of_every_feature():
        key = (step.step_type, step.name)
        if key in seen:
            continue
        seen.add(key)
        matching = [
            f"{m.location.filename.split('/')[-1]}:{m.location.line}"
            for m in definitions[step.step_type] + definitions["step"]
            if m.match(step.name) is not None
        ]
        if len(matching) != 1:
            problems.append(f"{step.location}: {step.keyword} {step.name!r} matches {matching or 'nothing'}")
    assert problems == []
