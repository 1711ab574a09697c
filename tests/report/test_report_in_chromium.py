"""The HTML report a reviewer opens shows this run's scenario counts (checked in headless Chromium).

Runs after `make spec` and `make report`; skipped, saying why, where Chromium is not installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile

import pytest

from support.stack.http_service import REPO_ROOT

RESULTS = REPO_ROOT / "reports" / "allure-results"
REPORT = REPO_ROOT / "reports" / "allure-report" / "index.html"
SCREENSHOT = REPO_ROOT / "reports" / "allure-report.png"
# No background traffic: this machine's network is closed, and the report needs none.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
    "--virtual-time-budget=20000",
]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("Chromium is not installed (`make chromium` installs Debian's package where it can)")
    return found


def _run_counts() -> tuple[int, int]:
    statuses = [json.loads(p.read_text()).get("status") for p in RESULTS.glob("*-result.json")]
    return len(statuses), statuses.count("passed")


def _browse(chromium: str, *args: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", *args, REPORT.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
        )
    return done.stdout


def test_report_shows_the_runs_scenario_counts():
    chromium = _chromium()
    assert REPORT.exists(), "no report: run `make report` first"
    total, passed = _run_counts()
    assert total > 0, "no Allure results: run `make spec` first"
    _browse(chromium, f"--screenshot={SCREENSHOT}")
    text = re.sub(
        r"\s+",
        " ",
        re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style).*?</\1>", " ", _browse(chromium, "--dump-dom"), flags=re.S)),
    )
    shown_total = re.search(r"Results (\d+)", text)
    shown_passed = re.search(r"Passed (\d+)", text)
    assert shown_total and shown_passed, f"the report shows no counts: {text[:300]}"
    assert (int(shown_total.group(1)), int(shown_passed.group(1))) == (total, passed)
    assert SCREENSHOT.stat().st_size > 10_000, "the screenshot is empty"
