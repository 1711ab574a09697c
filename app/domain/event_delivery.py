"""Delivering an ordered log of events to the people following it, as pure logic (no sockets, no Redis).

A log (a run's events, a user's notifications) numbers its events with a
gap-free ``seq``. A ``Follower`` has been given everything up to ``delivered``
and must be given the rest exactly once and in order, whichever way each event
reaches it: live (pushed as it is appended, possibly early or twice) or read
back from the log (catching up, filling a gap). Events that arrive ahead of a
gap wait in ``pending`` until the gap is filled, so a late event is never
skipped as "already seen" (the bug of comparing each arrival with the newest
one delivered).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.domain.assistant_events import TERMINAL


@dataclass
class Follower:
    """One connection following one log, from the event after ``delivered``.

    ``ends`` says whether the log has a terminal event (a run does, a
    notification feed does not).
    """

    id: int
    key: str
    delivered: int | None  # None: starts where ``start_after`` says, keeping what arrives until then
    ends: bool = True
    pending: dict[int, dict[str, Any]] = field(default_factory=dict)
    finished: bool = False
    heard_at: float = field(kw_only=True)  # when the follower last heard from its log (monotonic seconds)

    def offer(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        """The events to give now, in order: ``event`` and whatever it unblocks; nothing twice.

        After the terminal event (given now or before) ``finished`` is set.
        """
        if self.finished:
            return []
        seq = event["seq"]
        if self.delivered is None:
            self.pending[seq] = event
            return []
        if seq <= self.delivered:
            self.finished = self.ends and event["type"] in TERMINAL
            return []
        self.pending[seq] = event
        ready = []
        while self.delivered + 1 in self.pending:
            self.delivered += 1
            ready.append(self.pending.pop(self.delivered))
            if self.ends and ready[-1]["type"] in TERMINAL:
                self.finished = True
                self.pending.clear()
                break
        return ready

    def start_after(self, seq: int) -> list[dict[str, Any]]:
        """Sets where a follower created without a start begins; gives what it kept that comes after."""
        self.delivered = seq
        kept = [self.pending.pop(s) for s in sorted(self.pending)]
        return [ready for event in kept for ready in self.offer(event)]

    @property
    def gap(self) -> tuple[int, int] | None:
        """The seqs (first, last) missing before the earliest waiting event, or None when nothing waits."""
        if not self.pending or self.delivered is None:
            return None
        return self.delivered + 1, min(self.pending) - 1

    def skip_to_pending(self) -> list[dict[str, Any]]:
        """Gives up on a gap the log no longer holds (trimmed): the waiting events, in order."""
        if not self.pending or self.delivered is None:
            return []
        self.delivered = min(self.pending) - 1
        return self.offer(self.pending.pop(self.delivered + 1))


class FollowTable:
    """Followers by the key of the log they follow."""

    def __init__(self) -> None:
        self._by_key: dict[str, dict[int, Follower]] = {}

    def add(self, follower: Follower) -> None:
        self._by_key.setdefault(follower.key, {})[follower.id] = follower

    def remove(self, follower: Follower) -> None:
        followers = self._by_key.get(follower.key)
        if followers is None:
            return
        followers.pop(follower.id, None)
        if not followers:
            del self._by_key[follower.key]

    def of(self, key: str) -> list[Follower]:
        return list(self._by_key.get(key, {}).values())

    def keys(self) -> list[str]:
        return list(self._by_key)

    def followers(self) -> list[Follower]:
        return [f for followers in self._by_key.values() for f in followers.values()]

    def __contains__(self, key: str) -> bool:
        return key in self._by_key
