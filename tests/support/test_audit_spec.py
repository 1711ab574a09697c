"""make audit-spec end to end on a small selection: a caught defect, a missed one, and the exit code."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import psutil

from support.scenario.eventually import eventually
from support.stack.http_service import REPO_ROOT
from tests.support.process_checks import all_gone

TOTALS = "features/billing/invoice_totals.feature"


def test_audit_names_the_scenarios_that_catch_a_defect_and_reports_one_it_misses(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "support.runners.audit",
            "--defects",
            "float-invoice-arithmetic,sign-in-names-the-unknown-address",
            "--out",
            str(tmp_path),
            TOTALS,
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stdout + done.stderr  # invoice totals sign in with no unknown address
    report = json.loads((tmp_path / "audit.json").read_text())
    assert report["control"]["problem"] == "" and report["control"]["catching"] == []
    verdicts = {v["defect"]: v for v in report["defects"]}
    float_totals = verdicts["float-invoice-arithmetic"]
    assert float_totals["result"] == "caught"
    assert {o["location"] for o in float_totals["catching"]} == {f"{TOTALS}:18", f"{TOTALS}:20"}
    assert all("ASSERT FAILED" in o["error"] for o in float_totals["catching"])
    assert verdicts["sign-in-names-the-unknown-address"]["result"] == "MISSED"
    assert "1 of 2 defects caught" in done.stdout
    assert (tmp_path / "float-invoice-arithmetic" / "stack-logs" / "platform.log").exists()


def _tree_with_platforms(audit: subprocess.Popen) -> set[psutil.Process]:
    """The audit's processes once both runs' platforms are up (one planted, one not)."""
    tree = set(psutil.Process(audit.pid).children(recursive=True))
    commands = [" ".join(p.cmdline()) for p in tree if p.is_running()]
    assert sum("support.defects.planted_platform:app" in c for c in commands) >= 1, commands
    assert sum("app.main:app" in c for c in commands) >= 1, commands
    return tree


def test_a_stopped_audit_stops_every_run_and_its_stack(tmp_path):
    audit = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "support.runners.audit",
            "--defects",
            "payment-not-audited",
            "--out",
            str(tmp_path),
            "features/resilience/leaks.feature",
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        tree = eventually(
            lambda: _tree_with_platforms(audit),
            timeout=60,
            interval=0.5,
            retry_on=(AssertionError, psutil.NoSuchProcess),
        )
        audit.send_signal(signal.SIGTERM)
        assert audit.wait(60) == 130
        eventually(lambda: all_gone(tree), timeout=30)
        assert "stopping the runs and their stacks" in audit.stdout.read()
        assert not (tmp_path / "audit.json").exists()
    finally:
        if audit.poll() is None:
            audit.kill()
