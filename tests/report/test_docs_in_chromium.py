"""The living documentation as a product owner opens it (headless Chromium): every feature and the run's
results, the data and Examples tables, a failed scenario's reason and its link to the evidence, a search
that filters, and no request to another host.

Runs after `make spec` and `make docs`; skipped, saying why, where Chromium is not installed.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from pathlib import Path

from support.documentation.living_docs import build, read_results
from support.stack.http_service import REPO_ROOT
from tests.report.browser import Page
from tests.report.test_report_in_chromium import RESULTS, _chromium

DOCS = REPO_ROOT / "reports" / "docs" / "index.html"
SCREENSHOT = REPO_ROOT / "reports" / "docs.png"


async def _read(path: Path, search: str) -> dict:
    async with Page(_chromium()) as page:
        await page.open(path, settle_s=1)
        if path == DOCS:
            await page.screenshot(SCREENSHOT)
        seen = {"text": await page.evaluate("document.body.innerText"), "elsewhere": page.to_other_hosts()}
        seen["all"] = await page.evaluate("document.querySelectorAll('details.scenario').length")
        await page.evaluate(
            f"var s = document.getElementById('search'); s.value = {json.dumps(search)};"
            "s.dispatchEvent(new Event('input'));"
        )
        seen["shown"] = await page.evaluate("document.querySelectorAll('details.scenario:not(.hidden)').length")
        seen["shown_text"] = await page.evaluate("document.getElementById('shown').textContent")
        seen["areas_shown"] = await page.evaluate("document.querySelectorAll('h2.area:not(.hidden)').length")
        seen["areas_with_scenarios"] = await page.evaluate(
            "new Set([...document.querySelectorAll('section.feature:not(.hidden)')].map(f => f.dataset.area)).size"
        )
        return seen


def test_the_docs_show_every_feature_its_tables_and_the_runs_results_and_ask_no_other_host():
    assert DOCS.exists(), "no living documentation: run `make docs` first"
    seen = asyncio.run(_read(DOCS, "audit trail"))
    text = " ".join(seen["text"].split())
    features = len(list((REPO_ROOT / "features").rglob("*.feature")))
    assert f"{features} features" in text, text[:300]
    statuses, _ = read_results(RESULTS)
    passed = [r.status for r in statuses.values()].count("passed")
    assert re.search(rf"\b{passed} passed\b", text), f"the run's {passed} passed scenarios are not shown: {text[:300]}"
    for section in ("Personas", "Glossary", "Tags", "Step catalogue"):
        assert section in text
    assert seen["elsewhere"] == [], f"opening the docs asked other hosts: {seen['elsewhere']}"
    assert SCREENSHOT.stat().st_size > 10_000, "the screenshot is empty"


def test_the_docs_show_data_and_examples_tables_and_the_search_filters():
    seen = asyncio.run(_read(DOCS, "key contract"))
    html = DOCS.read_text()
    assert "decide approvals" in html and "<table class='data'>" in html, "the rights table of a step is not shown"
    assert "<table class='examples'>" in html, "no Examples table is shown"
    assert 0 < seen["shown"] < seen["all"], f"the search left {seen['shown']} of {seen['all']} scenarios"
    assert seen["shown_text"] == f"{seen['shown']} scenarios shown"
    assert seen["areas_shown"] == seen["areas_with_scenarios"], "an area with no scenario found keeps its heading"


def test_a_failed_scenario_shows_its_step_its_reason_and_a_link_to_its_evidence(tmp_path):
    """The documentation built from a run where one scenario failed (its result written here)."""
    results = tmp_path / "allure-results"
    results.mkdir()
    failed = {
        "name": "The total is the sum of the rounded lines, not the rounded sum",
        "status": "failed",
        "start": 1_000,
        "stop": 2_500,
        "statusDetails": {"message": "AssertionError: the invoice total\nExpected: 0.48\n     but: was 0.45"},
        "labels": [{"name": "feature", "value": "Invoice totals are exact to the cent"}],
        "steps": [{"name": "Then the invoice total is 0.48 EUR", "status": "failed"}],
    }
    (results / f"{uuid.uuid4()}-result.json").write_text(json.dumps(failed))
    page = tmp_path / "docs.html"
    page.write_text(build(results))
    seen = asyncio.run(_read(page, "rounded sum"))
    text = " ".join(seen["text"].split())
    assert "failed at the step Then the invoice total is 0.48 EUR" in text
    assert "but: was 0.45" in text, "the failure's reason is not visible"
    assert "the Allure report" in text, "no link to the evidence"
