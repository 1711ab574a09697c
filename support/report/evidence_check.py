"""Checks a finished run's Allure results: every scenario carries its HTTP exchanges.

    python -m support.report.evidence_check reports/allure-results

Exits 1 naming each scenario whose result has no HTTP exchange attached, or
when there are no results at all.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _attachments(node: dict) -> list[dict]:
    found = list(node.get("attachments", []))
    for step in node.get("steps", []):
        found += _attachments(step)
    return found


def scenarios_without_exchanges(results_dir: Path) -> tuple[int, list[str]]:
    results = [json.loads(p.read_text()) for p in results_dir.glob("*-result.json")]
    missing = [r["name"] for r in results if not any(a["name"].startswith("HTTP: ") for a in _attachments(r))]
    return len(results), missing


def main(argv: list[str]) -> int:
    results_dir = Path(argv[0] if argv else "reports/allure-results")
    count, missing = scenarios_without_exchanges(results_dir)
    if count == 0:
        print(f"evidence: no Allure results in {results_dir}", file=sys.stderr)
        return 1
    for name in missing:
        print(f"evidence: no HTTP exchange attached to '{name}'", file=sys.stderr)
    print(f"evidence: {count - len(missing)} of {count} scenario results carry their HTTP exchanges")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
