"""The assistant's event contract, checked from the outside (written apart from the platform's own code).

Rules from the brief (after AG-UI's verifier): started first; at least one
thinking; tool_executing/tool_completed paired by tool_call_id; exactly one
terminal event and nothing after it; agent_completed never with a tool call
open; seq from 0 without gaps; event_id = run_id:seq; every envelope has the
same keys and one run_id and thread_id.
"""

from __future__ import annotations

from typing import Any

ENVELOPE_KEYS = {"v", "type", "run_id", "thread_id", "seq", "event_id", "ts", "tool_call_id", "data"}
DATA_KEYS = {
    "agent_started": {"input"},
    "agent_thinking": {"text"},
    "tool_executing": {"tool", "args"},
    "tool_completed": {"status"},
    "agent_completed": {"answer", "usage"},
    "agent_failed": {"code", "message", "retryable"},
}


def broken_rules(events: list[dict[str, Any]]) -> list[str]:
    """Every rule the transcript of one run breaks; empty when it keeps the contract."""
    problems: list[str] = []
    if not events:
        return ["the run has no events"]
    if events[0]["type"] != "agent_started":
        problems.append(f"the first event is {events[0]['type']}, not agent_started")
    open_calls: set[str] = set()
    ended_at = None
    for position, event in enumerate(events):
        where = f"event {position} ({event.get('type')})"
        if set(event) != ENVELOPE_KEYS:
            problems.append(f"{where} has keys {sorted(event)}")
        if event.get("seq") != position:
            problems.append(f"{where} has seq {event.get('seq')}, expected {position}")
        if event.get("event_id") != f"{event.get('run_id')}:{event.get('seq')}":
            problems.append(f"{where} has event_id {event.get('event_id')}")
        if (event.get("run_id"), event.get("thread_id")) != (events[0].get("run_id"), events[0].get("thread_id")):
            problems.append(f"{where} belongs to another run or thread")
        missing = DATA_KEYS.get(event.get("type"), set()) - set(event.get("data") or {})
        if missing:
            problems.append(f"{where} lacks {sorted(missing)} in its data")
        if ended_at is not None:
            problems.append(f"{where} comes after the terminal event")
        kind, call = event.get("type"), event.get("tool_call_id")
        if kind == "agent_started" and position:
            problems.append(f"{where}: a second agent_started")
        if kind == "tool_executing":
            open_calls.add(call)
        if kind == "tool_completed":
            if call not in open_calls:
                problems.append(f"{where}: tool call {call} completed without executing")
            open_calls.discard(call)
        if kind == "agent_completed" and open_calls:
            problems.append(f"{where}: completed with tool calls open {sorted(open_calls)}")
        if kind in ("agent_completed", "agent_failed"):
            ended_at = position
    if ended_at is None:
        problems.append("the run has no terminal event")
    if not any(e["type"] == "agent_thinking" for e in events) and events[-1]["type"] == "agent_completed":
        problems.append("the run answered without any agent_thinking")
    return problems
