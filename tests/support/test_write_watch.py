"""A refused write must change nothing: checked only for a write alone from its start to its answer, since two
writes sent at once change the same company together."""

from __future__ import annotations

from support.clients.exchanges import WriteWatch, start_recording


def _recorder_with_rows(rows: dict[str, str]):
    recorder = start_recording()
    recorder.fingerprint = lambda company: dict(rows)
    return recorder


def test_a_lone_refused_write_that_changed_rows_is_reported():
    rows = {"payments": "a"}
    recorder = _recorder_with_rows(rows)
    watch = WriteWatch("c1", "POST", "/invoices/1/payments")
    rows["payments"] = "b"
    watch.answered(409)
    assert recorder.problems == ["POST /invoices/1/payments was refused (409) yet changed the company's payments"]


def test_a_refused_write_during_which_another_began_is_not_compared():
    rows = {"approvals": "a"}
    recorder = _recorder_with_rows(rows)
    refused = WriteWatch("c1", "POST", "/approvals/1/approve")  # alone when it began
    approved = WriteWatch("c1", "POST", "/approvals/1/approve")  # began while the first was in flight
    rows["approvals"] = "b"
    approved.answered(200)
    refused.answered(409)  # last to answer, nothing in flight any more: still not alone throughout
    assert recorder.problems == []


def test_a_refused_write_after_another_has_answered_is_compared():
    rows = {"approvals": "a"}
    recorder = _recorder_with_rows(rows)
    WriteWatch("c1", "POST", "/approvals/1/approve").answered(200)
    refused = WriteWatch("c1", "POST", "/approvals/1/approve")
    refused.answered(409)
    assert recorder.problems == []
