"""The run's outcome posted to a chat channel: Slack-compatible JSON to ``SPEC_WEBHOOK_URL``, when it is set.

``make spec`` posts after every run (through ``support.report.timings``): how many scenarios
passed, failed and were flaky, how long they took, and the first failures by name. A webhook
that cannot be reached is reported on the terminal and never changes the run's outcome.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Sequence

import requests

WEBHOOK_VARIABLE = "SPEC_WEBHOOK_URL"
FAILURES_SHOWN = 10


def message(statuses: Sequence[tuple[str, str]], flaky: Sequence[str], seconds: float) -> dict[str, str]:
    """``statuses``: (scenario, status) for every scenario run. Slack's incoming webhooks take ``{"text": ...}``."""
    counts = Counter(status for _, status in statuses)
    failed = [name for name, status in statuses if status in ("failed", "error")]
    verdict = "failed" if failed else "passed"
    lines = [
        f"Specification {verdict}: {len(statuses)} scenarios, {counts['passed'] - len(flaky)} passed, "
        f"{len(failed)} failed, {len(flaky)} flaky, {seconds:.0f} s in scenarios."
    ]
    lines += [f"• failed: {name}" for name in failed[:FAILURES_SHOWN]]
    if len(failed) > FAILURES_SHOWN:
        lines.append(f"… and {len(failed) - FAILURES_SHOWN} more (reports/rerun.txt)")
    lines += [f"• flaky: {name}" for name in flaky]
    return {"text": "\n".join(lines)}


def post_if_asked(payload: dict[str, str], url: str | None = None) -> bool:
    """Posts when a webhook is set; returns whether the chat accepted it."""
    url = url or os.environ.get(WEBHOOK_VARIABLE)
    if not url:
        return False
    try:
        answer = requests.post(url, json=payload, timeout=10)
        answer.raise_for_status()
    except requests.RequestException as error:
        print(f"chat: the run's summary could not be posted to {WEBHOOK_VARIABLE}: {error}", file=sys.stderr)
        return False
    print("chat: the run's summary was posted", file=sys.stderr)
    return True
