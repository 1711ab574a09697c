"""Against a deployment, a run removes the companies it made at its end, and skips what needs our own stack.

A stack started by the launcher stands in for the deployment: its addresses are given to behave, but not the
stack's control, so behave treats it as somebody else's platform.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from support.report.layout import REPO_ROOT

DEPLOYMENT_RUN = r"""
set -e
unset STACK_CONTROL_URL MAIL_SERVER_URL
.venv/bin/behave --no-junit -f allure -o "$RESULTS" -f plain --show-skipped \
  features/sales/lead_to_cash.feature:9 features/resilience/two_faults.feature
.venv/bin/python - <<'PY'
import os, psycopg
with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
    print("companies left:", conn.execute("SELECT count(*) FROM tenants").fetchone()[0])
PY
"""


def test_a_run_against_a_deployment_leaves_no_company_and_skips_the_faults_it_may_not_cause(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "support.stack.launcher", "--", "bash", "-c", DEPLOYMENT_RUN],
        cwd=REPO_ROOT,
        env={**os.environ, "RESULTS": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    said = done.stdout + done.stderr
    assert done.returncode == 0, said[-3000:]
    assert "1 scenario passed, 0 failed" in said, said[-3000:]
    results = {r["name"]: r for r in (json.loads(p.read_text()) for p in tmp_path.glob("*-result.json"))}
    fault = next(r for name, r in results.items() if name.startswith("Redis and the processor fail together"))
    assert fault["status"] == "skipped"
    assert "injects faults into the stack's own services" in json.dumps(fault), "the report says why it was skipped"
    # the scenario's company and the run's stranger (support/invariants/strangers.py)
    assert "staging: removed 2 of the 2 companies this run made" in said, said[-3000:]
    assert "companies left: 0" in said, said[-3000:]
