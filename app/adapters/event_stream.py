"""Ordered event logs in Redis streams: a run's events, a user's notifications.

Each log is a stream whose entry ids are ``0-{seq + 1}``, so the id is the
event's place: appending (one event, or several that follow each other, as a
turn's tool calls start) is one Lua script that refuses events out of their
place (the store itself keeps the order gap-free, whatever runs at once), takes
a repeated append of the same events as done (a retried call never doubles an
event), and publishes each event on the log's live channel (``live:{key}``) in
the same step, so followers on every instance hear it at once. Keys:
``tenant:{t}:run:{r}:events`` (+ ``:owner``, the user who may read it, and
``:lease``, taken with the first event, released with the terminal one and
renewed meanwhile by the instance running it) and
``tenant:{t}:user:{u}:notifications`` (+ ``:seq``). A run's log is kept
``retention_seconds`` after its last event; a resume after that finds nothing
and is told so.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import redis
import redis.asyncio as aioredis

from app.adapters.company_cache import company_prefix
from app.domain.assistant_events import TERMINAL
from app.domain.records import NotificationRecord

log = logging.getLogger("app.events")
LIVE_PREFIX = "live:"
FEED_LENGTH = 1000  # notifications kept per user for live catch-up (all are stored in PostgreSQL)

# KEYS: stream, owner, lease. ARGV: the first event's seq, retention s, only-if-lease-gone ("1"/"0"), owner user id
# (with the first event: sets who may read the run and takes the lease; else ""), lease ms, ends the run ("1":
# releases the lease), then the events' JSON, in order (one or more, their seqs following the first's).
# Returns 1 appended, 0 already there (the same events), -1 refused (lease held), or an error naming the clash.
APPEND_AT = """
if ARGV[3] == '1' and redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
local first = tonumber(ARGV[1])
local events = #ARGV - 6
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local last_seq = -1
if #last > 0 then last_seq = tonumber(string.match(last[1][1], '%-(%d+)$')) - 1 end
if last_seq == first + events - 1 and last[1][2][2] == ARGV[#ARGV] then return 0 end
if first ~= last_seq + 1 then
  return redis.error_reply('event out of place: seq ' .. first .. ' after ' .. last_seq)
end
for i = 7, #ARGV do redis.call('XADD', KEYS[1], '0-' .. (first + i - 6), 'event', ARGV[i]) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[2], ARGV[4], 'EX', ARGV[2])
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[5])
else
  redis.call('EXPIRE', KEYS[2], ARGV[2])
end
if ARGV[6] == '1' then redis.call('DEL', KEYS[3]) end
for i = 7, #ARGV do redis.call('PUBLISH', 'live:' .. KEYS[1], ARGV[i]) end
return 1
"""
# KEYS: stream, seq counter. ARGV: event JSON without its seq, retention s, kept length. Returns the seq.
APPEND_NEXT = """
local seq = redis.call('INCR', KEYS[2])
local event = cjson.decode(ARGV[1])
event['seq'] = seq
local text = cjson.encode(event)
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '0-' .. (seq + 1), 'event', text)
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
redis.call('PUBLISH', 'live:' .. KEYS[1], text)
return seq
"""


def stream_key(company_id: Any, run_id: str) -> str:
    return f"{company_prefix(company_id)}run:{run_id}:events"


def owner_key(company_id: Any, run_id: str) -> str:
    return f"{company_prefix(company_id)}run:{run_id}:owner"


def lease_key(company_id: Any, run_id: str) -> str:
    return f"{company_prefix(company_id)}run:{run_id}:lease"


def feed_key(company_id: Any, user_id: Any) -> str:
    return f"{company_prefix(company_id)}user:{user_id}:notifications"


def seq_of(entry_id: bytes | str) -> int:
    """The event seq an entry id stands for (``0-{seq + 1}``)."""
    text = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
    return int(text.rpartition("-")[2]) - 1


def decoded(fields: Any) -> str:
    """The event's JSON text from a stream entry's fields (bytes or text, as the client gives them)."""
    raw = fields.get(b"event", fields.get("event"))
    if raw is None:
        raise ValueError(f"a stream entry without an event: {fields!r}")
    return raw.decode() if isinstance(raw, bytes) else str(raw)


class EventOutOfPlace(RuntimeError):
    """The log refused an event: another event holds its seq, or an earlier one is missing."""


class EventStream:
    """A run's events: appended in place, owned by one user, leased by the instance running it."""

    def __init__(self, client: aioredis.Redis, *, retention_seconds: int) -> None:
        self._redis = client
        self._retention = retention_seconds
        self._append_at = client.register_script(APPEND_AT)

    async def append_all(
        self,
        company_id: Any,
        events: list[dict[str, Any]],
        *,
        unless_leased: bool = False,
        opened_by: Any = None,
        lease_seconds: float = 0.0,
    ) -> bool:
        """Appends a run's ``events`` (one or more, their seqs following each other) at their seqs and publishes
        each live, all in one step; a terminal event (the last) releases the run's lease.

        The first event of a run names its reader (``opened_by``, the user who asked) and takes the
        lease for ``lease_seconds``, in the same step.
        Returns False only with ``unless_leased`` when the run's lease is still held (nothing written).
        Raises:
            EventOutOfPlace: the first seq is taken by other events or is not the next one (nothing written).
            redis.RedisError: Redis is unreachable (nothing is known to be written; appending again is safe).
        """
        run_id, first = events[0]["run_id"], events[0]["seq"]
        if [(e["run_id"], e["seq"]) for e in events] != [(run_id, first + n) for n in range(len(events))]:
            raise ValueError(f"not one run's events in a row: {[(e['run_id'], e['seq']) for e in events]}")
        try:
            done = await self._append_at(
                keys=[stream_key(company_id, run_id), owner_key(company_id, run_id), lease_key(company_id, run_id)],
                args=[
                    first,
                    self._retention,
                    "1" if unless_leased else "0",
                    "" if opened_by is None else str(opened_by),
                    int(lease_seconds * 1000),
                    "1" if events[-1]["type"] in TERMINAL else "0",
                    *(json.dumps(e, allow_nan=False) for e in events),  # RFC 8259: a frame never holds NaN
                ],
            )
        except redis.ResponseError as exc:
            if "out of place" in str(exc):
                raise EventOutOfPlace(str(exc)) from None
            raise
        return done != -1

    async def renew_leases(self, keys: list[tuple[Any, str]], *, lease_seconds: float) -> None:
        """Extends the lease of each (company, run) this instance still runs, in one round trip."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for company_id, run_id in keys:
                pipe.pexpire(lease_key(company_id, run_id), int(lease_seconds * 1000))
            await pipe.execute()

    async def release(self, company_id: Any, run_id: str) -> None:
        """Gives up the lease of a run that could not append its end (its followers will end it)."""
        await self._redis.delete(lease_key(company_id, run_id))

    async def leased(self, keys: list[str]) -> list[bool]:
        """For each run log key, whether an instance still holds the run's lease."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.exists(key.removesuffix(":events") + ":lease")
            return [bool(found) for found in await pipe.execute()]

    async def owner(self, company_id: Any, run_id: str) -> str | None:
        value = await self._redis.get(owner_key(company_id, run_id))
        return value.decode() if isinstance(value, bytes) else value

    async def running(self, company_id: Any, run_id: str) -> bool:
        return bool(await self._redis.exists(lease_key(company_id, run_id)))

    async def read_after(self, key: str, after_seq: int, *, count: int) -> list[str]:
        """The log's events (JSON text) after ``after_seq``, oldest first, at most ``count``."""
        entries = await self._redis.xrange(key, min=f"(0-{after_seq + 1}", count=count)  # to the log's end
        return [decoded(fields) for _, fields in entries or []]

    async def last(self, key: str) -> dict[str, Any] | None:
        entries = await self._redis.xrevrange(key, max="+", min="-", count=1)
        return json.loads(decoded(entries[0][1])) if entries else None


SESSIONS_CHANNEL = "platform:sessions:changed"


class NotificationFeed:
    """Pushes a stored notification to its user's log, for their open sockets.

    Redis numbers each entry (the user's next ``seq``) in the same script that
    appends it, so two notifications at once can never be appended out of
    order. A socket follows from the seq it connected at, so it sees only what
    arrives while it is open. A Redis failure loses only the live push: the
    notification is stored and listed.
    """

    def __init__(self, client: redis.Redis, async_client: aioredis.Redis, *, retention_seconds: int = 3600) -> None:
        self._redis = async_client
        self._client = client
        self._retention = retention_seconds
        self._append_next = client.register_script(APPEND_NEXT)

    async def last_seq(self, company_id: Any, user_id: Any) -> int:
        return int(await self._redis.get(feed_key(company_id, user_id) + ":seq") or 0)

    def publish(self, company_id: Any, notification: NotificationRecord) -> None:
        key = feed_key(company_id, notification["user_id"])
        event = {
            "v": 1,
            "type": "notification",
            "event_id": f"{notification['id']}",
            "ts": notification["created_at"].isoformat(),
            "data": {
                "id": str(notification["id"]),
                "kind": notification["kind"],
                "text": notification["text"],
                "subject_type": notification["subject_type"],
                "subject_id": notification["subject_id"],
            },
        }
        try:
            self._append_next(keys=[key, key + ":seq"], args=[json.dumps(event), self._retention, FEED_LENGTH])
        except redis.RedisError as exc:
            log.warning("notification %s stored but not pushed live: %s", notification["id"], exc)

    def session_changed(self, company_id: Any, user_id: Any | None) -> None:
        """Tells every instance that a person's sessions changed (signed out, another role, removed; None:
        everyone of the company), so their open sockets check at once. Best effort: a socket checks its
        session again before each message anyway, so a notice lost to a Redis outage only delays the
        closing of an idle socket."""
        notice = json.dumps({"tenant_id": str(company_id), "user_id": None if user_id is None else str(user_id)})
        try:
            self._client.publish(SESSIONS_CHANNEL, notice)
        except redis.RedisError as exc:
            log.warning("sessions of %s/%s changed; not told live: %s", company_id, user_id, exc)
