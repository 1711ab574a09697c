"""The HTML report made to open offline and send nothing anywhere, and kept within its size budget.

Allure 3 (3.18) writes Google Analytics into every report it makes, with no switch to leave it out
(allure-framework/allure3 issue 476); opening the report would ask googletagmanager.com for a script and
report the visit. This takes the analytics out after generation, and fails when anything else in the page
would be fetched from another host.

    .venv/bin/python -m support.report.offline_report reports/allure-report/index.html
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ANALYTICS = re.compile(
    r"\s*<script async src=\"https://www\.googletagmanager\.com/gtag/js\?id=[^\"]*\"></script>"
    r"\s*<script>\s*window\.dataLayer[\s\S]*?</script>",
)
EXTERNAL = re.compile(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=\"(https?:)?//[^\"]+\"", re.I)
# The report grows with its scenarios and the runs of history it carries; what must not grow is what each weighs.
# Allure's own code is 3.8 MB. The whole specification's report measured 16.4 MB at 361 scenarios with three runs
# of history, and at 460 (2026-12-07, once each) 16.7 MB with none and 20.1 MB with three: the evidence (one
# attachment a step, its bodies cut, at most 25 exchanges a scenario) about 28 KB a scenario, and the history 2.4
# times its file (1.4 MB for three runs of 460).
FIXED_BYTES = 4 * 1024 * 1024
PER_SCENARIO_BYTES = 32 * 1024
PER_HISTORY_BYTE = 3
HISTORY = Path("reports/allure-history.jsonl")  # allurerc.mjs: historyPath


def budget_bytes(report: Path, history: Path = HISTORY) -> int:
    """What the report at ``report`` may weigh: Allure's code, 32 KB for each scenario it shows (counted in the
    summary written beside it) and three bytes for each byte of the history it carries."""
    summary = report.with_name("summary.json")
    scenarios = json.loads(summary.read_text())["stats"]["total"] if summary.exists() else 0
    carried = history.stat().st_size if history.exists() else 0
    return FIXED_BYTES + PER_SCENARIO_BYTES * scenarios + PER_HISTORY_BYTE * carried


def offline(html: str) -> str:
    """``html`` without the analytics snippet. Raises ValueError when another external fetch remains."""
    cleaned = ANALYTICS.sub("", html)
    fetch = EXTERNAL.search(cleaned)
    if fetch:
        raise ValueError(f"the report would still fetch from another host: {fetch.group()[:120]}")
    return cleaned


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "reports/allure-report/index.html")
    html = path.read_text(encoding="utf-8")
    try:
        path.write_text(offline(html), encoding="utf-8")
    except ValueError as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 1
    size, budget = path.stat().st_size, budget_bytes(path)
    over = size > budget
    print(
        f"report: {path} opens offline (no analytics); {size / 1024 / 1024:.1f} MB"
        + (f", over its budget of {budget / 1024 / 1024:.1f} MB" if over else f" of its {budget / 1024 / 1024:.1f}"),
        file=sys.stderr if over else sys.stdout,
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
