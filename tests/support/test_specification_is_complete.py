"""The specification itself: every step is defined, and the evidence checker catches a bare result."""

from __future__ import annotations

import json
import subprocess
import sys

from support.report.evidence_check import scenarios_without_exchanges
from support.stack.http_service import REPO_ROOT


def test_every_step_in_the_features_is_defined():
    run = subprocess.run(
        [sys.executable, "-m", "behave", "--dry-run", "--format", "null", "--no-summary", "--no-junit"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "undefined" not in (run.stdout + run.stderr).lower()


def test_evidence_check_names_a_scenario_without_http_exchanges(tmp_path):
    (tmp_path / "a-result.json").write_text(
        json.dumps({"name": "with", "steps": [{"attachments": [{"name": "HTTP: POST /leads → 201 (3 ms)"}]}]})
    )
    (tmp_path / "b-result.json").write_text(
        json.dumps({"name": "without", "steps": [{"attachments": [{"name": "database: invoice (1 rows)"}]}]})
    )
    assert scenarios_without_exchanges(tmp_path) == (2, ["without"])
