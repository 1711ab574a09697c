"""What one specification run under a planted defect showed, read from behave's JSON report (no I/O but reading it).

A defect is caught by the scenarios that fail with it and pass without it:
a scenario failing in the control run (no defect) proves nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from support.report.behave_json import scenarios_with_their_status

FAILING = frozenset({"failed", "error"})


@dataclass(frozen=True, slots=True)
class ScenarioOutcome:
    location: str  # features/x.feature:12
    name: str
    status: str
    failed_step: str = ""
    error: str = ""  # the assertion message's first lines: what was expected and what came

    @property
    def failing(self) -> bool:
        return self.status in FAILING


def read_outcomes(report: Path) -> list[ScenarioOutcome]:
    """Every scenario of behave's ``-f json`` report.

    Raises:
        ValueError: the report is missing or not behave's JSON (the run died before writing it).
    """
    try:
        features = json.loads(report.read_text() or "[]")
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"no readable behave report at {report}: {exc}") from exc
    return [
        _outcome(element)
        for feature in features
        for element in scenarios_with_their_status(feature.get("elements", []))
    ]


def _outcome(element: dict) -> ScenarioOutcome:
    name = element.get("name", "").split(" -- @")[0]
    status = element.get("status", "untested")
    for step in element.get("steps", []):
        result = step.get("result", {})
        if result.get("status") in FAILING:
            message = result.get("error_message") or ""
            lines = message if isinstance(message, list) else message.splitlines()
            told = " / ".join([line.strip() for line in lines if line.strip()][:3])
            return ScenarioOutcome(element["location"], name, status, f"{step['keyword']} {step['name']}", told)
    return ScenarioOutcome(element["location"], name, status)


# what a scenario says when the platform failed where it was asked (a 500, an unexpected failure logged)
CRASH_SIGNS = ("answered 500", "internal_error", "logged an unexpected")


@dataclass(frozen=True, slots=True)
class Verdict:
    defect: str
    seconds: float
    scenarios: int = 0
    catching: list[ScenarioOutcome] = field(default_factory=list)
    problem: str = ""  # the run itself failed: no verdict
    unconfirmed: list[ScenarioOutcome] = field(default_factory=list)  # failed once only: by chance

    def confirmed_by(self, locations: set[str]) -> Verdict:
        """This verdict keeping only the catching scenarios at ``locations`` (they failed again)."""
        return Verdict(
            self.defect,
            self.seconds,
            self.scenarios,
            [o for o in self.catching if o.location in locations],
            self.problem,
            [o for o in self.catching if o.location not in locations],
        )

    @property
    def caught(self) -> bool:
        return not self.problem and bool(self.catching)

    @property
    def only_as_a_crash(self) -> bool:
        """Every scenario that caught it failed on the platform failing (a 500, a failure logged): the defect may no
        longer fit the code it patches, and the rule it was planted for was not tried."""
        return bool(self.catching) and all(any(sign in o.error for sign in CRASH_SIGNS) for o in self.catching)

    @property
    def result(self) -> str:
        if self.problem:
            return "RUN FAILED"
        if self.only_as_a_crash:
            return "crash only"
        return "caught" if self.catching else "MISSED"


def judge(defect: str, seconds: float, outcomes: list[ScenarioOutcome], control_failing: set[str]) -> Verdict:
    """The scenarios that failed under ``defect`` and passed in the control run."""
    if not outcomes:
        return Verdict(defect, seconds, problem="the run reported no scenario")
    return Verdict(
        defect, seconds, len(outcomes), [o for o in outcomes if o.failing and o.location not in control_failing]
    )
