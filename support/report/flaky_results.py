"""Scenarios that passed only on a retry (``@flaky``), marked flaky in their Allure results and counted.

Each attempt of a retried scenario is its own Allure result with the same history id; the report
shows the earlier ones as retries. The last attempt, when it passed after a failed one, gets
``statusDetails.flaky`` (Allure's flaky mark) and a message saying on which attempt it passed.
"""

from __future__ import annotations

import json
from pathlib import Path


def mark_flaky_passes(results: Path) -> list[str]:
    """Marks each scenario whose last attempt passed after an earlier one failed; returns their names."""
    attempts: dict[str, list[tuple[int, Path, dict]]] = {}
    for path in results.glob("*-result.json") if results.is_dir() else []:
        result = json.loads(path.read_text())
        attempts.setdefault(result.get("historyId", path.name), []).append((int(result.get("start", 0)), path, result))
    flaky = []
    for runs in attempts.values():
        runs.sort(key=lambda run: run[0])
        _, path, last = runs[-1]
        if last.get("status") == "passed" and any(run[2].get("status") in ("failed", "broken") for run in runs[:-1]):
            details = last.setdefault("statusDetails", {})
            if not details.get("flaky"):
                details["flaky"] = True
                details["message"] = f"passed on attempt {len(runs)} of {len(runs)}: flaky"
                path.write_text(json.dumps(last))
            flaky.append(last.get("fullName", last.get("name", "?")))
    return sorted(flaky)
