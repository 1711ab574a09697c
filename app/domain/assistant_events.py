"""The assistant's event contract for one run, as pure logic (no sockets, no Redis).

Order per run: ``agent_started`` first; ``agent_thinking`` one or more;
``tool_executing``/``tool_completed`` paired by ``tool_call_id``; exactly one
terminal event (``agent_completed`` or ``agent_failed``) and nothing after it;
``agent_completed`` never while a tool call is open. ``seq`` starts at 0 and
has no gaps; ``event_id`` is ``run_id:seq``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

STARTED = "agent_started"
THINKING = "agent_thinking"
TOOL_EXECUTING = "tool_executing"
TOOL_COMPLETED = "tool_completed"
COMPLETED = "agent_completed"
FAILED = "agent_failed"
TERMINAL = frozenset({COMPLETED, FAILED})
TYPES = frozenset({STARTED, THINKING, TOOL_EXECUTING, TOOL_COMPLETED, COMPLETED, FAILED})


class EventOrderError(ValueError):
    """An event that would break the run's contract."""


@dataclass
class RunEvents:
    """Builds a run's events in order and refuses any that would break the contract."""

    run_id: str
    thread_id: str
    next_seq: int = 0
    open_tools: set[str] = field(default_factory=set)
    finished: bool = False
    thought: bool = False

    def event(
        self, kind: str, data: dict[str, Any], at: datetime, *, tool_call_id: str | None = None
    ) -> dict[str, Any]:
        """The next event, counted as sent (``prepare`` then ``record``)."""
        envelope = self.prepare(kind, data, at, tool_call_id=tool_call_id)
        self.record(envelope)
        return envelope

    def prepare(
        self, kind: str, data: dict[str, Any], at: datetime, *, tool_call_id: str | None = None
    ) -> dict[str, Any]:
        """The envelope of the next event, checked against the contract; nothing changes until ``record``.

        Raises:
            EventOrderError: the event would break the run's contract.
        """
        self._check(kind, tool_call_id)
        return {
            "v": 1,
            "type": kind,
            "run_id": self.run_id,
            "thread_id": self.thread_id,
            "seq": self.next_seq,
            "event_id": f"{self.run_id}:{self.next_seq}",
            "ts": at.isoformat(),
            "tool_call_id": tool_call_id,
            "data": data,
        }

    def prepare_all(self, events: list[tuple[str, dict[str, Any], str | None]], at: datetime) -> list[dict[str, Any]]:
        """The envelopes of ``events`` (kind, data, tool call id), each as if the ones before it were sent: for
        events appended at once. Nothing changes until each is recorded.

        Raises:
            EventOrderError: an event would break the run's contract.
        """
        trial = replace(self, open_tools=set(self.open_tools))
        envelopes = []
        for kind, data, tool_call_id in events:
            envelopes.append(trial.prepare(kind, data, at, tool_call_id=tool_call_id))
            trial.record(envelopes[-1])
        return envelopes

    def record(self, envelope: dict[str, Any]) -> None:
        """Counts a prepared event as sent: its seq is taken, its tool call opened or closed."""
        kind, tool_call_id = envelope["type"], envelope["tool_call_id"]
        self.next_seq += 1
        if kind == TOOL_EXECUTING:
            self.open_tools.add(tool_call_id or "")
        elif kind == TOOL_COMPLETED:
            self.open_tools.discard(tool_call_id or "")
        elif kind == THINKING:
            self.thought = True
        self.finished = kind in TERMINAL

    @classmethod
    def replayed(cls, events: list[dict[str, Any]]) -> RunEvents:
        """The builder's state after ``events`` (a run's log so far, in order), to add what comes next."""
        run = cls(run_id=events[0]["run_id"], thread_id=events[0]["thread_id"])
        for envelope in events:
            run.record(envelope)
        return run

    def _check(self, kind: str, tool_call_id: str | None) -> None:
        if kind not in TYPES:
            raise EventOrderError(f"unknown event type {kind!r}")
        if self.finished:
            raise EventOrderError(f"{kind} after the run's terminal event")
        if (kind == STARTED) != (self.next_seq == 0):
            raise EventOrderError("agent_started comes first, and only first")
        if kind in (TOOL_EXECUTING, TOOL_COMPLETED) and not tool_call_id:
            raise EventOrderError(f"{kind} needs a tool_call_id")
        if kind == TOOL_EXECUTING and tool_call_id in self.open_tools:
            raise EventOrderError(f"tool call {tool_call_id} is already executing")
        if kind == TOOL_COMPLETED and tool_call_id not in self.open_tools:
            raise EventOrderError(f"tool call {tool_call_id} completes without executing")
        if kind == COMPLETED and self.open_tools:
            raise EventOrderError(f"agent_completed while tool calls are open: {sorted(self.open_tools)}")
        if kind == COMPLETED and not self.thought:
            raise EventOrderError("agent_completed before any agent_thinking")


def resume_unavailable(run_id: str) -> dict[str, Any]:
    """The answer to a resume whose log is gone (expired or never existed): the run's end, with no place in it."""
    return {
        "v": 1,
        "type": FAILED,
        "run_id": run_id,
        "thread_id": None,
        "seq": None,
        "event_id": None,
        "ts": None,
        "tool_call_id": None,
        "data": {"code": "resume_unavailable", "retryable": False, "message": "this run's events are no longer kept"},
    }
