"""The last run's result of each scenario, as the living documentation shows it: how it ended, the step that
failed and why, how long it took, and where its evidence is in the Allure report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class ScenarioResult:
    status: str  # passed, failed, broken, skipped, flaky
    step: str = ""
    message: str = ""
    seconds: float = 0.0
    report_id: str | None = None  # the test's id in the HTML report, when one was made

    @property
    def failed(self) -> bool:
        return self.status in ("failed", "broken")


def read_results(
    results: Path, report: Path | None = None
) -> tuple[dict[tuple[str, str], ScenarioResult], datetime | None]:
    """(feature name, scenario name) -> the result of its latest attempt, and when the run ended.

    ``report``: the HTML report's folder, whose test list gives each test's id there (for links).
    """
    ids = _report_ids(report) if report else {}
    latest: dict[tuple[str, str], tuple[int, ScenarioResult]] = {}
    for path in results.glob("*-result.json") if results.is_dir() else []:
        try:
            result = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        labels = {label["name"]: label["value"] for label in result.get("labels", [])}
        name = result.get("name", "").strip()
        key = (labels.get("feature", ""), name)
        stop = int(result.get("stop", 0))
        details = result.get("statusDetails") or {}
        status = result.get("status", "broken")
        if status == "passed" and details.get("flaky"):
            status = "flaky"
        failed_step = next(
            (s.get("name", "") for s in result.get("steps", []) if s.get("status") in ("failed", "broken")), ""
        )
        done = ScenarioResult(
            status,
            failed_step,
            (details.get("message") or "").strip(),
            max(0, stop - int(result.get("start", stop))) / 1000,
            ids.get(name),
        )
        if key not in latest or stop >= latest[key][0]:
            latest[key] = (stop, done)
    ended = max((stop for stop, _ in latest.values()), default=0)
    return {key: done for key, (_, done) in latest.items()}, (
        datetime.fromtimestamp(ended / 1000, UTC) if ended else None
    )


def _report_ids(report: Path) -> dict[str, str]:
    """Test name -> its id in the HTML report (names given to two tests are left out: no link is better than a
    wrong one)."""
    try:
        by_id = json.loads((report / "test-results.json").read_text()).get("byId", {})
    except (OSError, ValueError):
        return {}
    counted: dict[str, list[str]] = {}
    for test_id, test in by_id.items():
        counted.setdefault(test.get("name", "").strip(), []).append(test_id)
    return {name: found[0] for name, found in counted.items() if len(found) == 1}
