"""The HTML report a reviewer opens: this run's counts, its environment, and no request to another host
(checked in headless Chromium, every request the page makes recorded).

Runs after `make spec` and `make report`; skipped, saying why, where Chromium is not installed.
"""

from __future__ import annotations

import asyncio
import json
import shutil

import pytest

from support.stack.http_service import REPO_ROOT
from tests.report.browser import Page

RESULTS = REPO_ROOT / "reports" / "allure-results"
REPORT = REPO_ROOT / "reports" / "allure-report" / "index.html"
SCREENSHOT = REPO_ROOT / "reports" / "allure-report.png"
RUN = REPO_ROOT / "reports" / "run.json"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("Chromium is not installed (`make chromium` installs Debian's package where it can)")
    return found


def _run_counts() -> tuple[int, int]:
    latest: dict[str, tuple[int, str]] = {}
    for path in RESULTS.glob("*-result.json"):
        result = json.loads(path.read_text())
        key = result.get("historyId", path.name)
        if key not in latest or result.get("stop", 0) >= latest[key][0]:
            latest[key] = (result.get("stop", 0), result.get("status"))
    statuses = [status for _, status in latest.values()]
    return len(statuses), statuses.count("passed")


async def _look() -> tuple[str, list[str]]:
    async with Page(_chromium()) as page:
        await page.open(REPORT, settle_s=5)
        await page.screenshot(SCREENSHOT)
        text = await page.evaluate("document.body.innerText")
        return text, page.to_other_hosts()


def test_the_report_shows_the_runs_counts_its_environment_and_asks_no_other_host():
    assert REPORT.exists(), "no report: run `make report` first"
    total, passed = _run_counts()
    assert total > 0, "no Allure results: run `make spec` first"
    text, elsewhere = asyncio.run(_look())
    assert elsewhere == [], f"opening the report asked other hosts: {elsewhere}"
    flat = " ".join(text.split())
    assert f"{passed}" in flat and str(total) in flat, f"the report shows other counts: {flat[:400]}"
    commit = json.loads(RUN.read_text())["commit"].split()[0]
    assert f"Commit {commit}" in flat, f"the report's environment does not name the commit: {flat[:600]}"
    assert SCREENSHOT.stat().st_size > 10_000, "the screenshot is empty"
    from support.report.offline_report import budget_bytes

    assert REPORT.stat().st_size <= budget_bytes(REPORT), "the report is over its size budget"
