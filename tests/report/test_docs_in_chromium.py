"""The living documentation a product owner opens shows every feature and the last run's results (headless Chromium).

Runs after `make spec` and `make docs`; skipped, saying why, where Chromium is not installed.
"""

from __future__ import annotations

import re
import subprocess
import tempfile

from support.documentation.living_docs import read_results
from support.stack.http_service import REPO_ROOT
from tests.report.test_report_in_chromium import FLAGS, RESULTS, _chromium

DOCS = REPO_ROOT / "reports" / "docs" / "index.html"
SCREENSHOT = REPO_ROOT / "reports" / "docs.png"


def _shown(chromium: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        flags = [*FLAGS, f"--user-data-dir={profile}"]
        subprocess.run(
            [chromium, *flags, f"--screenshot={SCREENSHOT}", DOCS.as_uri()], capture_output=True, timeout=120
        )
        dom = subprocess.run(
            [chromium, *flags, "--dump-dom", DOCS.as_uri()], capture_output=True, text=True, timeout=120
        )
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom.stdout))


def test_the_docs_show_every_feature_and_the_runs_results():
    chromium = _chromium()
    assert DOCS.exists(), "no living documentation: run `make docs` first"
    text = _shown(chromium)
    features = len(list((REPO_ROOT / "features").rglob("*.feature")))
    assert f"{features} features" in text, text[:300]
    statuses, _ = read_results(RESULTS)  # each scenario's last attempt; one that passed on a retry shows as flaky
    passed = list(statuses.values()).count("passed")
    assert re.search(rf"\b{passed} passed\b", text), f"the run's {passed} passed scenarios are not shown: {text[:300]}"
    for section in ("Personas", "Tags", "Step catalogue"):
        assert section in text
    assert SCREENSHOT.stat().st_size > 10_000, "the screenshot is empty"
