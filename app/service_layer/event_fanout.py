"""Fan-out of run events to the connections following them on this instance.

``FollowTable`` is the pure bookkeeping (no I/O): which streams are followed,
from where, by whom; what each new batch means for each follower. ``EventFanOut``
runs one reader per instance that reads every followed stream in one blocking
call, so followers cost no Redis connection each, and a slow client never
holds up another (each has its own queue).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis

from app.adapters.event_stream import stream_key

log = logging.getLogger("app.fanout")
END = None  # put on a follower's queue after its run's terminal event
TERMINAL = ("agent_completed", "agent_failed")


@dataclass
class Follower:
    id: int
    key: str
    after_seq: int  # the last seq this follower has been given
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)

    def offer(self, event: dict[str, Any]) -> list[Any]:
        """What to queue for this event: itself if newer than what was given, and END after the terminal
        (also when the follower already had the terminal event: a resume after the end ends at once)."""
        if event["seq"] <= self.after_seq:
            return [END] if event["type"] in TERMINAL else []
        self.after_seq = event["seq"]
        return [event, END] if event["type"] in TERMINAL else [event]


def entry_order(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


class FollowTable:
    """Followers by stream, and each stream's read cursor."""

    def __init__(self) -> None:
        self.by_key: dict[str, dict[int, Follower]] = {}
        self.cursors: dict[str, str] = {}

    def add(self, follower: Follower, read_up_to: str) -> None:
        """Adds a follower that has been given everything up to entry ``read_up_to``."""
        self.by_key.setdefault(follower.key, {})[follower.id] = follower
        self.cursors.setdefault(follower.key, read_up_to)

    def remove(self, follower: Follower) -> None:
        followers = self.by_key.get(follower.key, {})
        followers.pop(follower.id, None)
        if not followers:
            self.by_key.pop(follower.key, None)
            self.cursors.pop(follower.key, None)

    def streams(self) -> dict[str, str]:
        return dict(self.cursors)

    def deliver(self, key: str, entries: list[tuple[str, dict[str, Any]]]) -> list[tuple[Follower, Any]]:
        """What to put on which queue for a batch read from ``key``; ends and forgets finished followers."""
        out: list[tuple[Follower, Any]] = []
        for entry_id, event in entries:
            if key in self.cursors:
                self.cursors[key] = entry_id
            for follower in list(self.by_key.get(key, {}).values()):
                for item in follower.offer(event):
                    out.append((follower, item))
                    if item is END:
                        self.remove(follower)
        return out


class EventFanOut:
    def __init__(self, client: aioredis.Redis, *, block_ms: int = 50) -> None:
        self._redis = client
        self._block_ms = block_ms
        self._table = FollowTable()
        self._ids = itertools.count()
        self._wake = asyncio.Event()
        self._reader: asyncio.Task | None = None

    async def follow(self, tenant_id: Any, run_id: str, after_seq: int) -> Follower:
        return await self.follow_key(stream_key(tenant_id, run_id), after_seq)

    async def follow_key(self, key: str, after_seq: int) -> Follower:
        """A follower of the run, already given the stored events after ``after_seq``.

        It catches up by reading the stream itself, up to where the shared reader
        has got (re-reading if that moved during the read), then joins it there:
        nothing is skipped, and ``Follower.offer`` drops anything given twice.
        """
        follower = Follower(next(self._ids), key, after_seq)
        read_up_to = "0-0"
        while True:
            start = "-" if read_up_to == "0-0" else f"({read_up_to}"
            entries = await self._redis.xrange(follower.key, min=start,
                                               max=self._table.cursors.get(follower.key, "+"))
            for entry_id, fields in entries:
                read_up_to = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
                for item in follower.offer(_event(fields)):
                    follower.queue.put_nowait(item)
                    if item is END:
                        return follower
            shared = self._table.cursors.get(follower.key)  # no await from here to add(): a consistent join
            if shared is None or entry_order(shared) <= entry_order(read_up_to):
                break
        self._table.add(follower, read_up_to)
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read_forever())
        self._wake.set()
        return follower

    def unfollow(self, follower: Follower) -> None:
        self._table.remove(follower)

    async def _read_forever(self) -> None:
        while True:
            streams = self._table.streams()
            if not streams:
                self._wake.clear()
                await self._wake.wait()
                continue
            try:
                batches = await self._redis.xread(streams, count=200, block=self._block_ms)
            except aioredis.RedisError as exc:
                log.warning("event fan-out cannot read Redis: %s", exc)
                await asyncio.sleep(0.5)
                continue
            for raw_key, entries in batches or []:
                key = raw_key.decode() if isinstance(raw_key, bytes) else raw_key
                decoded = [(eid.decode() if isinstance(eid, bytes) else eid, _event(fields))
                           for eid, fields in entries]
                for follower, item in self._table.deliver(key, decoded):
                    follower.queue.put_nowait(item)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()


def _event(fields: dict) -> dict[str, Any]:
    return json.loads(fields[b"event"] if b"event" in fields else fields["event"])
