"""Live delivery of event logs to this instance's connections, and the end of runs whose instance died.

One Redis subscription per instance (the pattern ``live:*``) hears every event
as it is appended (``app.adapters.event_stream``); nothing is read per follower
while it keeps up. A follower first reads its log from where it starts, then
takes live events; anything it misses (an event heard ahead of a gap, a lost
subscription) is read back from the log, and ``Follower`` puts it all in order
(``app.domain.event_delivery``). Each follower hands its events to a ``Sink``
(the connection's bounded outbox), which never waits, so a slow client never
holds up another.

A run is leased by the instance running it. When a followed run has been
quiet for a while and its lease has lapsed (the instance died), this instance
ends it for everyone: open tool calls end in ``error`` and the run in
``agent_failed`` ``instance_lost``, appended only while the lease is still
absent, so a living instance is never overruled.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import redis
import redis.asyncio as aioredis

from app.adapters.event_stream import LIVE_PREFIX, SESSIONS_CHANNEL, EventOutOfPlace, EventStream
from app.domain import assistant_events as ev
from app.domain.clock import utc_now
from app.domain.errors import DependencyUnavailable
from app.domain.event_delivery import Follower, FollowTable

log = logging.getLogger("app.fanout")
CANCEL_CHANNEL = "platform:assistant:cancel"
SETTINGS_CHANNEL = "platform:settings:reload"  # an operator asked every instance to read its settings again
ANALYTICS_CHANNEL = "platform:analytics:waiting"  # events recorded on an instance not copying them: the copier is told
SUBSCRIBE_WAIT_SECONDS = 3.0
Sink = Callable[[str], None]  # takes one event's JSON text; must not wait
SessionWatch = Callable[[], None]  # told that its person's sessions changed; must not wait


def _item(text: str) -> dict[str, Any]:
    event = json.loads(text)
    return {"seq": event["seq"], "type": event.get("type"), "text": text}


class EventFanOut:
    def __init__(self, client: aioredis.Redis, stream: EventStream, *, quiet_seconds: float = 2.0) -> None:
        """``client``: a Redis client of its own (closed with the fan-out), without a read time-out, since
        the subscription waits on it; ``quiet_seconds``: how long a followed run may stay silent before
        its lease is checked."""
        self._redis = client
        self._stream = stream
        self._quiet = quiet_seconds
        self._table = FollowTable()
        self._sinks: dict[int, Sink] = {}
        self._catching_up: set[int] = set()
        self._ids = itertools.count()
        self._pubsub: Any = None
        self._subscribed = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self.on_cancel: Callable[[dict[str, Any]], object] = lambda request: None
        self.on_settings_reload: Callable[[dict[str, Any]], object] = lambda notice: None
        # called each time the subscription is back after it was lost: a notice sent meanwhile reached nobody
        self.on_heard_again: Callable[[], object] = lambda: None
        self.on_analytics_waiting: Callable[[], object] = lambda: None  # another instance recorded events to copy
        self._instance = uuid.uuid4().hex  # so a notice this instance sent is not taken again when it comes back
        self._session_watches: dict[tuple[str, str], set[SessionWatch]] = {}

    async def start(self) -> None:
        """Starts the reader (which subscribes, and subscribes again whenever Redis comes back) and the
        lease watch. Does not wait for Redis: a platform started without it is live, and follows wait."""
        self._subscribed = asyncio.Event()
        self._tasks = [asyncio.create_task(self._read_forever()), asyncio.create_task(self._watch_leases())]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), 2)

    async def follow(self, key: str, after_seq: int, sink: Sink, *, ends: bool = True) -> Follower:
        """Starts giving ``sink`` the log's events after ``after_seq``: the stored ones now, then live ones.

        Raises:
            DependencyUnavailable: live events cannot be heard now (Redis away).
            redis.RedisError: the log could not be read (nothing was given).
        """
        await self._wait_subscribed()
        follower = Follower(next(self._ids), key, after_seq, ends, heard_at=time.monotonic())
        self._sinks[follower.id] = sink
        self._table.add(follower)
        try:
            await self._catch_up(follower)
        except BaseException:
            self.unfollow(follower)
            raise
        return follower

    async def follow_from_now(self, key: str, sink: Sink, current_seq: Callable[[], Awaitable[int]]) -> Follower:
        """Gives ``sink`` what is appended to the log from now on (no log read): it listens first, then
        asks ``current_seq`` where the log stands, so nothing appended after that is missed."""
        await self._wait_subscribed()
        follower = Follower(next(self._ids), key, None, ends=False, heard_at=time.monotonic())
        self._sinks[follower.id] = sink
        self._table.add(follower)
        try:
            self._give(follower, follower.start_after(await current_seq()))
        except BaseException:
            self.unfollow(follower)
            raise
        return follower

    def unfollow(self, follower: Follower) -> None:
        self._table.remove(follower)
        self._sinks.pop(follower.id, None)

    def watch_sessions(self, company_id: Any, user_id: Any, watch: SessionWatch) -> Callable[[], None]:
        """Calls ``watch`` whenever any instance says the person's sessions changed (a sign-out, another
        role, a removal of them or of their company). Returns what stops the watch."""
        key = (str(company_id), str(user_id))
        self._session_watches.setdefault(key, set()).add(watch)

        def stop() -> None:
            watches = self._session_watches.get(key, set())
            watches.discard(watch)
            if not watches:
                self._session_watches.pop(key, None)

        return stop

    def _sessions_changed(self, notice: dict[str, Any]) -> None:
        company, user = str(notice["tenant_id"]), notice.get("user_id")
        keys = [(company, str(user))] if user is not None else [k for k in self._session_watches if k[0] == company]
        for key in keys:
            for watch in list(self._session_watches.get(key, ())):
                watch()

    async def _wait_subscribed(self) -> None:
        try:
            await asyncio.wait_for(self._subscribed.wait(), SUBSCRIBE_WAIT_SECONDS)
        except TimeoutError:
            raise DependencyUnavailable("cache", "live events are unavailable (Redis); try again shortly") from None

    async def request_cancel(self, request: dict[str, Any]) -> None:
        """Asks every instance to cancel a run; the one running it does (``on_cancel``)."""
        await self._redis.publish(CANCEL_CHANNEL, json.dumps(request))

    async def request_settings_reload(self, notice: dict[str, Any]) -> int:
        """Asks every other instance to read its settings file again (``on_settings_reload``); returns how many
        instances heard it: none while Redis is away (each reads the file once it hears again:
        ``on_heard_again``)."""
        try:
            heard = await self._redis.publish(SETTINGS_CHANNEL, json.dumps({**notice, "from": self._instance}))
        except (redis.RedisError, OSError) as exc:
            log.warning("the other instances cannot be told to reload now (%s); each will when it hears again", exc)
            return 0
        return max(0, int(heard) - (1 if self._subscribed.is_set() else 0))

    async def tell_analytics_waiting(self) -> None:
        """Tells the instance copying events to the analytics (``on_analytics_waiting``) that some were recorded
        here. Redis away, nobody is told: the copier looks again within seconds anyway."""
        try:
            await self._redis.publish(ANALYTICS_CHANNEL, b"{}")
        except (redis.RedisError, OSError) as exc:
            log.debug("the analytics ingester cannot be told of new events now (%s)", exc)

    def _settings_reload(self, notice: dict[str, Any]) -> None:
        if notice["from"] != self._instance:
            self.on_settings_reload(notice)

    @property
    def following(self) -> int:
        return len(self._sinks)

    @property
    def hearing(self) -> bool:
        """Whether the subscription is up: this instance hears live events and the other instances' notices (a
        cancellation, a session change, a settings reload). Read from any thread: one flag, only ever set or
        cleared whole."""
        return self._subscribed.is_set()

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
        await self._redis.aclose()

    async def _subscribe(self) -> None:
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
        self._pubsub = self._redis.pubsub()
        await self._pubsub.psubscribe(LIVE_PREFIX + "*")
        channels = (CANCEL_CHANNEL, SESSIONS_CHANNEL, SETTINGS_CHANNEL, ANALYTICS_CHANNEL)
        await self._pubsub.subscribe(*channels)
        confirmed = 0
        while confirmed < 1 + len(channels):  # every confirmation: from here on, every append is heard
            message = await self._pubsub.get_message(timeout=5)
            if message is None:
                raise redis.TimeoutError("Redis did not confirm the event subscription")
            confirmed += message["type"] in ("psubscribe", "subscribe")

    async def _read_forever(self) -> None:
        heard_before = False
        while True:
            try:
                await self._subscribe()
            except (redis.RedisError, OSError) as exc:
                log.warning("cannot subscribe to live events (%s); trying again", exc)
                await asyncio.sleep(0.5)
                continue
            self._subscribed.set()
            for follower in self._table.followers():  # what was appended meanwhile is in the logs
                self._spawn_catch_up(follower)
            if heard_before:
                self._heard_again_safely()
            heard_before = True
            try:
                async for message in self._pubsub.listen():
                    self._dispatch_safely(message)
            except (redis.RedisError, OSError) as exc:
                log.warning("event subscription lost (%s); resubscribing", exc)
            self._subscribed.clear()

    def _heard_again_safely(self) -> None:
        try:
            self.on_heard_again()
        except Exception:
            log.exception("catching up after the subscription came back failed; the subscription goes on")

    def _dispatch_safely(self, message: dict[str, Any]) -> None:
        """``_dispatch``, whose failure on one message is logged and never ends the subscription: the instance
        would otherwise stop hearing every live event, cancellation, session change and settings notice, with
        nothing said."""
        try:
            self._dispatch(message)
        except Exception:
            log.exception("a message on %r could not be handled; the subscription goes on", message.get("channel"))

    def _dispatch(self, message: dict[str, Any]) -> None:
        if message["type"] == "pmessage":
            key = message["channel"].decode()[len(LIVE_PREFIX) :]
            followers = self._table.of(key)
            if followers:
                item = _item(message["data"].decode())
                for follower in followers:
                    self._give(follower, follower.offer(item))
                    if follower.gap is not None:
                        self._spawn_catch_up(follower)
        elif message["type"] == "message":
            channel = message["channel"].decode()
            if channel == ANALYTICS_CHANNEL:
                self.on_analytics_waiting()
                return
            handle = {SESSIONS_CHANNEL: self._sessions_changed, SETTINGS_CHANNEL: self._settings_reload}.get(
                channel, self.on_cancel
            )
            with contextlib.suppress(ValueError, KeyError, TypeError):
                handle(json.loads(message["data"]))

    def _give(self, follower: Follower, items: list[dict[str, Any]]) -> None:
        follower.heard_at = time.monotonic()
        sink = self._sinks.get(follower.id)
        if sink is None:
            return
        for item in items:
            sink(item["text"])
        if follower.finished:
            self.unfollow(follower)

    def _spawn_catch_up(self, follower: Follower) -> None:
        if follower.id not in self._catching_up:
            task = asyncio.create_task(self._catch_up(follower))
            task.add_done_callback(_log_failure)

    async def _catch_up(self, follower: Follower, *, page: int = 500) -> None:
        """Reads the log after what the follower has, until it has everything the log holds."""
        if follower.id in self._catching_up:
            return
        self._catching_up.add(follower.id)
        try:
            while not follower.finished and follower.id in self._sinks:
                start = follower.delivered
                if start is None:  # not placed yet: ``start_after`` gives it what it kept
                    break
                texts = await self._stream.read_after(follower.key, start, count=page)
                for text in texts:
                    self._give(follower, follower.offer(_item(text)))
                if len(texts) == page:
                    continue
                if follower.gap is None:
                    break
                if follower.delivered == start:  # the log no longer holds the gap (trimmed, expired)
                    self._give(follower, follower.skip_to_pending())
        finally:
            self._catching_up.discard(follower.id)

    async def _watch_leases(self) -> None:
        while True:
            await asyncio.sleep(self._quiet / 2)
            now = time.monotonic()
            quiet = sorted(
                {f.key for f in self._table.followers() if f.ends and not f.finished and now - f.heard_at > self._quiet}
            )
            if not quiet:
                continue
            try:
                held = await self._stream.leased(quiet)
                for key, alive in zip(quiet, held, strict=False):
                    if not alive:
                        await self._end_lost_run(key)
            except (redis.RedisError, OSError) as exc:
                log.warning("cannot check run leases: %s", exc)

    async def _end_lost_run(self, key: str) -> None:
        """Ends a run nobody runs any more: open tool calls end in error, the run in instance_lost."""
        events = [json.loads(text) for text in await self._stream.read_after(key, -1, count=10_000)]
        if not events:
            return
        run = ev.RunEvents.replayed(events)
        company_id = key.split(":")[1]
        endings: list[tuple[str, dict[str, Any], str | None]] = [
            (ev.TOOL_COMPLETED, {"status": "error", "error": "the instance running this tool stopped"}, call)
            for call in sorted(run.open_tools)
        ]
        endings.append(
            (
                ev.FAILED,
                {
                    "code": "instance_lost",
                    "retryable": True,
                    "message": "the platform instance running this question stopped; ask again",
                },
                None,
            )
        )
        if not run.finished:
            envelopes = run.prepare_all(endings, utc_now())
            try:
                if not await self._stream.append_all(company_id, envelopes, unless_leased=True):
                    return  # the run's instance is alive after all
            except EventOutOfPlace:
                return  # someone else ended it, or it moved on: followers hear that instead
            log.warning("run %s ended: its instance stopped (%d open tool calls closed)", run.run_id, len(endings) - 1)
        for follower in self._table.of(key):
            self._spawn_catch_up(follower)


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("catching up a follower failed: %s", task.exception())
