"""The HTML report made to open offline and send nothing anywhere, and kept within its size budget.

Allure 3 (3.18) writes Google Analytics into every report it makes, with no switch to leave it out
(allure-framework/allure3 issue 476); opening the report would ask googletagmanager.com for a script and
report the visit. This takes the analytics out after generation, and fails when anything else in the page
would be fetched from another host.

    .venv/bin/python -m support.report.offline_report reports/allure-report/index.html
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ANALYTICS = re.compile(
    r"\s*<script async src=\"https://www\.googletagmanager\.com/gtag/js\?id=[^\"]*\"></script>"
    r"\s*<script>\s*window\.dataLayer[\s\S]*?</script>",
)
EXTERNAL = re.compile(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=\"(https?:)?//[^\"]+\"", re.I)
# The whole specification's report (361 scenarios) measured 16.4 MB: Allure's own code 3.8 MB, three runs of
# history 3 MB, the evidence (one attachment a step, bodies cut, at most 25 exchanges a scenario) the rest.
BUDGET_BYTES = 20 * 1024 * 1024


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
    size = path.stat().st_size
    over = size > BUDGET_BYTES
    print(
        f"report: {path} opens offline (no analytics); {size / 1024 / 1024:.1f} MB"
        + (f", over its budget of {BUDGET_BYTES // 1024 // 1024} MB" if over else ""),
        file=sys.stderr if over else sys.stdout,
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
