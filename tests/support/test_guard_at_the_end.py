"""The checks at a scenario's last step send requests again; what those requests changed is told, as it is for
every request a step sends (it was dropped: the rows watched were compared, and the finding was never read)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from support.clients.exchanges import start_recording, stop_recording
from support.invariants import (
    audited_denials,
    audited_refusals,
    audited_writes,
    guard,
    replays,
    roles_refused,
    runs_followed,
)

CHANGED = "POST /api/v1/invoices/x/payments was refused (403) yet changed the company's payments"


@pytest.fixture
def recorder():
    yield start_recording()
    stop_recording()


def _world() -> Any:
    config = SimpleNamespace(
        platform_url="http://platform", token_secret=None, admin_key=None, platform_logs=None, mail_server_url=None
    )
    config.instance_urls = ("http://platform",)
    return SimpleNamespace(inspectors=SimpleNamespace(config=config), home=None, others={}, records_held=False)


def test_what_a_request_sent_again_at_the_last_step_changed_is_told(recorder, monkeypatch):
    for module in (audited_refusals, audited_denials, audited_writes):
        monkeypatch.setattr(module, "missing", lambda world, recorder: [])
    monkeypatch.setattr(runs_followed, "followed_late", lambda *args: [])
    monkeypatch.setattr(replays, "by_colleagues", lambda *args: [])

    def refused_yet_changed(recorder: Any, *args: Any) -> list[str]:
        recorder.problems.append(CHANGED)  # as ``RowWatch.answered`` files it
        return []

    monkeypatch.setattr(roles_refused, "attempts", refused_yet_changed)
    assert guard.at_the_end(_world(), recorder) == [CHANGED]
    assert recorder.problems == [], "told once"


def test_a_finding_that_quotes_an_answer_shows_none_of_the_platforms_keys(recorder, monkeypatch):
    """A finding quotes what was answered, and fails the step in the terminal and the reports: a key the answer
    showed is masked there (the finding still says a key was shown)."""
    key = "signing-key-of-the-run"

    def answered_with_the_key(recorder: Any, *args: Any) -> list[str]:
        recorder.problems.append(f"the answer to GET /api/v1/deals sent again by the checks (404) said: {key}")
        return []

    monkeypatch.setattr(guard.strangers, "attempts", answered_with_the_key)
    world = _world()
    world.inspectors.config.token_secret = key
    context = SimpleNamespace(world=world, stranger=None, last_step_runs=False)
    assert guard.violations(context) == ["the answer to GET /api/v1/deals sent again by the checks (404) said: ***"]
