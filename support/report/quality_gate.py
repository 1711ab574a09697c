"""The report's quality gate: a failed @critical scenario fails the run, named.

Allure 3's own gate (3.18) needs Node.js 22 (it calls ``Iterator.toArray``) and crashes on the Node.js 20
a fresh machine has, so the rule is read here, from the same results.

    .venv/bin/python -m support.report.quality_gate reports/allure-results
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def critical_failures(results: Path) -> list[str]:
    """``location title`` of each critical scenario whose last attempt failed or broke."""
    latest: dict[str, tuple[int, dict]] = {}
    for path in results.glob("*-result.json"):
        try:
            result = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        key = result.get("historyId") or result.get("name", "")
        if key not in latest or result.get("stop", 0) >= latest[key][0]:
            latest[key] = (result.get("stop", 0), result)
    failed = []
    for _, result in latest.values():
        labels = {label["name"]: label["value"] for label in result.get("labels", [])}
        if labels.get("severity") == "critical" and result.get("status") in ("failed", "broken"):
            failed.append(f"{labels.get('location', labels.get('feature', '?'))}  {result.get('name', '').strip()}")
    return sorted(failed)


def main(argv: list[str]) -> int:
    failed = critical_failures(Path(argv[0] if argv else "reports/allure-results"))
    if not failed:
        print("quality gate: passed (no @critical scenario failed)")
        return 0
    print(f"quality gate: FAILED, {len(failed)} @critical scenario(s) failed:", file=sys.stderr)
    for line in failed:
        print(f"  {line}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
