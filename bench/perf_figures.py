"""The figures the last ``make perf`` scenario attached (its "measured" against the yardstick), on one line.

    .venv/bin/python -m bench.perf_figures reports/allure-results

Used by ``bench/paired_perf.sh`` to set an earlier commit's figures beside this tree's.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def last_measured(results: Path) -> dict[str, object] | None:
    """The newest attachment holding figures measured against their thresholds, or None."""
    for path in sorted(results.glob("*-attachment.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            content = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(content, dict) and "measured" in content and "thresholds" in content:
            return content["measured"]
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bench.perf_figures REPORTS/ALLURE-RESULTS", file=sys.stderr)
        return 2
    measured = last_measured(Path(argv[0]))
    if measured is None:
        print("no figures attached (did the scenario run?)")
        return 1
    print(json.dumps(measured, separators=(", ", ": ")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
