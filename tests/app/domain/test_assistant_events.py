from datetime import UTC, datetime

import pytest

from app.domain.assistant_events import EventOrderError, RunEvents

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def _run():
    return RunEvents(run_id="r1", thread_id="t1")


def _good_transcript():
    run = _run()
    return [
        run.event("agent_started", {"input": "q"}, NOW),
        run.event("agent_thinking", {"text": "…"}, NOW),
        run.event("tool_executing", {"tool": "x", "args": {}}, NOW, tool_call_id="c1"),
        run.event("tool_completed", {"status": "ok", "result": {}}, NOW, tool_call_id="c1"),
        run.event("agent_completed", {"answer": "a", "usage": {}}, NOW),
    ]


def test_events_are_numbered_from_zero_with_event_ids():
    events = _good_transcript()
    assert [e["seq"] for e in events] == [0, 1, 2, 3, 4]
    assert events[2]["event_id"] == "r1:2"


def test_completion_while_a_tool_is_open_is_refused():
    run = _run()
    run.event("agent_started", {}, NOW)
    run.event("agent_thinking", {}, NOW)
    run.event("tool_executing", {}, NOW, tool_call_id="c1")
    with pytest.raises(EventOrderError):
        run.event("agent_completed", {}, NOW)


def test_nothing_follows_the_terminal_event():
    run = _run()
    run.event("agent_started", {}, NOW)
    run.event("agent_failed", {"code": "x"}, NOW)
    with pytest.raises(EventOrderError):
        run.event("agent_thinking", {}, NOW)


def test_a_tool_completes_only_after_it_executes():
    run = _run()
    run.event("agent_started", {}, NOW)
    with pytest.raises(EventOrderError):
        run.event("tool_completed", {}, NOW, tool_call_id="c9")


def test_nothing_follows_an_answer_either():
    run = _run()
    for event in _good_transcript():  # the same events, made again by a run of its own
        run.event(event["type"], event["data"], NOW, tool_call_id=event["tool_call_id"])
    with pytest.raises(EventOrderError, match="after the run's terminal event"):
        run.event("agent_thinking", {}, NOW)


def test_a_replayed_answered_run_takes_nothing_more():
    run = RunEvents.replayed(_good_transcript())
    assert run.finished
    with pytest.raises(EventOrderError, match="after the run's terminal event"):
        run.event("agent_failed", {"code": "x"}, NOW)


@pytest.mark.parametrize("kind", ["tool_executing", "tool_completed"])
def test_each_tool_event_needs_its_tool_call_id(kind):
    run = _run()
    run.event("agent_started", {}, NOW)
    with pytest.raises(EventOrderError, match=f"{kind} needs a tool_call_id"):
        run.event(kind, {}, NOW)


def test_an_answer_needs_a_thought_first():
    run = _run()
    run.event("agent_started", {}, NOW)
    with pytest.raises(EventOrderError, match="before any agent_thinking"):
        run.event("agent_completed", {"answer": "a"}, NOW)


def test_a_log_of_one_event_is_replayed_as_a_run_that_just_started():
    run = RunEvents.replayed(_good_transcript()[:1])
    assert (run.run_id, run.thread_id, run.next_seq, run.finished) == ("r1", "t1", 1, False)
    assert run.event("agent_failed", {"code": "instance_lost"}, NOW)["seq"] == 1


def test_events_prepared_at_once_follow_each_other_and_change_nothing_until_recorded():
    run = RunEvents(run_id="r", thread_id="t")
    run.event("agent_started", {}, NOW)
    run.event("agent_thinking", {}, NOW)
    calls = [("tool_executing", {"tool": name}, f"call_{name}") for name in ("a", "b")]
    prepared = run.prepare_all(calls, NOW)
    assert [(e["seq"], e["tool_call_id"]) for e in prepared] == [(2, "call_a"), (3, "call_b")]
    assert (run.next_seq, run.open_tools) == (2, set())
    with pytest.raises(EventOrderError, match="already executing"):
        run.prepare_all([*calls, calls[0]], NOW)
    assert (run.next_seq, run.open_tools) == (2, set())
