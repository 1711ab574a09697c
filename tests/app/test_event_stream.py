"""A run's log in Redis keeps its events in their places: no gap, no swap, no double, whatever is retried; the
fan-out that tells every instance keeps listening and telling through a failing handler and a Redis restart."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import time
import uuid
from datetime import UTC, datetime

import pytest
import redis
import redis.asyncio as aioredis

from app.adapters.event_fanout import SETTINGS_CHANNEL, EventFanOut
from app.adapters.event_stream import EventOutOfPlace, EventStream, NotificationFeed, lease_key, owner_key, stream_key
from app.bootstrap import live_events_client
from support.stack.processes import free_port
from support.stack.redis_server import EmbeddedRedis


async def _append(log: EventStream, company: object, event: dict, **options: object) -> bool:
    """One event appended: ``append_all`` of one (what the platform calls for every event)."""
    return await log.append_all(company, [event], **options)  # type: ignore[arg-type]


def _event(run_id: str, seq: int, kind: str = "agent_thinking", text: str = "x") -> dict:
    return {
        "v": 1,
        "type": kind,
        "run_id": run_id,
        "thread_id": "t",
        "seq": seq,
        "event_id": f"{run_id}:{seq}",
        "ts": "2026-01-01T00:00:00+00:00",
        "tool_call_id": None,
        "data": {"text": text},
    }


def _in_log(url: str, check):
    async def go():
        client = aioredis.Redis.from_url(url)
        try:
            return await check(EventStream(client, retention_seconds=60), client, uuid.uuid4(), uuid.uuid4().hex)
        finally:
            await client.aclose()

    return asyncio.run(go())


@pytest.fixture(scope="module")
def redis_url(stack) -> str:
    return stack.env["REDIS_URL"]


def test_log_takes_events_in_seq_order_and_a_repeated_append_once(redis_url):
    async def check(log, client, company, run):
        await _append(log, company, _event(run, 0, "agent_started"), opened_by="sam", lease_seconds=5)
        await _append(log, company, _event(run, 1))
        assert await _append(log, company, _event(run, 1))  # a retry after a lost answer
        stored = [json.loads(text)["seq"] for text in await log.read_after(stream_key(company, run), -1, count=10)]
        return await client.xlen(stream_key(company, run)), stored

    assert _in_log(redis_url, check) == (2, [0, 1])


def test_events_appended_at_once_take_their_places_each_heard_live_and_a_repeat_is_taken_as_done(redis_url):
    async def check(log, client, company, run):
        key = stream_key(company, run)
        await _append(log, company, _event(run, 0, "agent_started"), opened_by="sam", lease_seconds=5)
        live = client.pubsub()
        await live.subscribe(f"live:{key}")
        await live.get_message(timeout=1)  # the subscription's confirmation
        batch = [_event(run, 1, text="a"), _event(run, 2, text="b"), _event(run, 3, text="c")]
        assert await log.append_all(company, batch)
        assert await log.append_all(company, batch)  # a retry after a lost answer: nothing doubled
        heard = []
        while (message := await live.get_message(timeout=0.5)) is not None:
            if message["type"] == "message":
                heard.append(json.loads(message["data"])["seq"])
        await live.aclose()
        stored = [json.loads(text)["data"]["text"] for text in await log.read_after(key, 0, count=10)]
        return stored, heard

    assert _in_log(redis_url, check) == (["a", "b", "c"], [1, 2, 3])


def test_events_appended_at_once_out_of_place_write_nothing_and_must_be_one_runs_in_a_row(redis_url):
    async def check(log, client, company, run):
        await _append(log, company, _event(run, 0, "agent_started"), opened_by="sam", lease_seconds=5)
        await _append(log, company, _event(run, 1))
        with pytest.raises(EventOutOfPlace):
            await log.append_all(company, [_event(run, 1, text="other"), _event(run, 2)])
        with pytest.raises(ValueError, match="in a row"):
            await log.append_all(company, [_event(run, 2), _event(run, 4)])
        with pytest.raises(ValueError, match="in a row"):
            await log.append_all(company, [_event(run, 2), _event("another-run", 3)])
        return await client.xlen(stream_key(company, run))

    assert _in_log(redis_url, check) == 2


def test_log_refuses_an_event_ahead_of_a_gap(redis_url):
    async def check(log, client, company, run):
        await _append(log, company, _event(run, 0, "agent_started"), opened_by="sam", lease_seconds=5)
        with pytest.raises(EventOutOfPlace):
            await _append(log, company, _event(run, 2))

    _in_log(redis_url, check)


def test_log_refuses_another_event_in_a_taken_place(redis_url):
    async def check(log, client, company, run):
        await _append(log, company, _event(run, 0, "agent_started"), opened_by="sam", lease_seconds=5)
        await _append(log, company, _event(run, 1, text="first"))
        with pytest.raises(EventOutOfPlace):
            await _append(log, company, _event(run, 1, text="second"))

    _in_log(redis_url, check)


def test_first_event_names_the_reader_and_takes_the_lease_and_the_end_releases_it(redis_url):
    async def check(log, client, company, run):
        await _append(log, company, _event(run, 0, "agent_started"), opened_by="sam", lease_seconds=5)
        opened = (await client.get(owner_key(company, run)), await client.exists(lease_key(company, run)))
        await _append(log, company, _event(run, 1, "agent_failed"))
        return opened, await client.exists(lease_key(company, run))

    assert _in_log(redis_url, check) == ((b"sam", 1), 0)


def test_events_appended_at_once_that_end_the_run_release_its_lease_and_others_keep_it(redis_url):
    """A lost run's open calls closed and its failure go in one append: its last event ends the run."""

    async def check(log, client, company, run):
        await _append(log, company, _event(run, 0, "agent_started"), opened_by="sam", lease_seconds=5)
        await log.append_all(company, [_event(run, 1), _event(run, 2)])
        held = await client.exists(lease_key(company, run))
        await log.append_all(company, [_event(run, 3, "tool_call_finished"), _event(run, 4, "agent_failed")])
        return held, await client.exists(lease_key(company, run))

    assert _in_log(redis_url, check) == (1, 0)


def test_a_run_that_gives_up_its_lease_leaves_it_to_its_followers_and_no_other_runs(redis_url):
    """A run that could not append its end releases its lease, so a follower ends it as lost at once; another
    run's lease, of the same company, is kept."""

    async def check(log, client, company, run):
        other = uuid.uuid4().hex
        for each in (run, other):
            await _append(log, company, _event(each, 0, "agent_started"), opened_by="sam", lease_seconds=5)
        await log.release(company, run)
        keys = [stream_key(company, run), stream_key(company, other)]
        return await log.leased(keys)

    assert _in_log(redis_url, check) == [False, True]


def test_an_append_meant_for_a_lost_instance_is_refused_while_the_lease_is_held(redis_url):
    async def check(log, client, company, run):
        await _append(log, company, _event(run, 0, "agent_started"), opened_by="sam", lease_seconds=5)
        refused = await _append(log, company, _event(run, 1, "agent_failed"), unless_leased=True)
        await client.delete(lease_key(company, run))
        taken = await _append(log, company, _event(run, 1, "agent_failed"), unless_leased=True)
        return refused, taken

    assert _in_log(redis_url, check) == (False, True)


def test_a_notice_whose_handling_fails_leaves_the_subscription_hearing_the_next(redis_url):
    """One message that cannot be handled must not end the instance's subscription: it would stop hearing every
    live event, cancellation, session change and settings notice, with nothing said."""

    async def check(log, client, company, run):
        listening = EventFanOut(aioredis.Redis.from_url(redis_url), log)
        heard: list[str] = []

        def handle(notice: dict) -> None:
            heard.append(notice["by"])
            if notice["by"] == "first":
                raise RuntimeError("a handler that fails")

        listening.on_settings_reload = handle
        await listening.start()
        telling = EventFanOut(aioredis.Redis.from_url(redis_url), log)
        try:
            for by in ("first", "second"):
                await telling.request_settings_reload({"by": by})
            await _until(lambda: len(heard) == 2, timeout=2.0)
            return heard
        finally:
            await listening.close()
            await telling.close()

    assert _in_log(redis_url, check) == ["first", "second"]


def test_the_fan_outs_notices_reach_redis_again_after_it_restarts(tmp_path):
    """After Redis restarts, every connection pooled before is dead: the first notice an instance sends (an
    operator's settings reload, a cancellation) must go out on a new one, not fail the operator's call."""
    server = EmbeddedRedis(tmp_path)
    server.start()

    async def notices_sent() -> list[int]:
        client = live_events_client(server.url)
        try:
            heard = [await client.publish(SETTINGS_CHANNEL, "{}")]
            server.stop()
            server.start()
            return [*heard, await client.publish(SETTINGS_CHANNEL, "{}")]
        finally:
            await client.aclose()

    try:
        assert asyncio.run(notices_sent()) == [0, 0]  # sent each time; nobody listening here
    finally:
        server.stop()


def test_the_fan_out_says_it_hears_redis_only_once_subscribed_again_after_a_restart(tmp_path):
    """Readiness reports the cache up only while the instance hears Redis: between Redis's return and the
    subscription's, a notice (a settings reload, a cancellation) would reach nobody here."""
    server = EmbeddedRedis(tmp_path)
    server.start()

    caught_up: list[bool] = []

    async def hearing_over_a_restart() -> list[bool]:
        stream_client = aioredis.Redis.from_url(server.url)
        fanout = EventFanOut(live_events_client(server.url), EventStream(stream_client, retention_seconds=60))
        fanout.on_heard_again = lambda: caught_up.append(fanout.hearing)
        await fanout.start()
        seen = [fanout.hearing]
        try:
            server.stop()
            seen.append(await _until(lambda: not fanout.hearing))
            server.start()
            seen.append(await _until(lambda: fanout.hearing))
            return seen
        finally:
            await fanout.close()
            await stream_client.aclose()

    try:
        assert asyncio.run(hearing_over_a_restart()) == [True, True, True]
    finally:
        server.stop()
    # a settings reload asked for while it could not hear is taken then (app.main reads the file again)
    assert caught_up == [True], "told once it hears again, never at the first subscription"


async def _until(condition, timeout: float = 10.0) -> bool:
    """Whether ``condition`` held within ``timeout`` seconds."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
    return False


class _LeasesFailingFirst(EventStream):
    """A log whose first lease checks fail: at the socket (a bare OSError), then in Redis's client."""

    def __init__(self, client: aioredis.Redis, *, retention_seconds: int) -> None:
        super().__init__(client, retention_seconds=retention_seconds)
        self.failures = [ConnectionResetError("connection reset by peer"), redis.ConnectionError("Redis went away")]
        self.failed = False

    async def leased(self, keys: list[str]) -> list[bool]:
        if self.failures:
            self.failed = True
            raise self.failures.pop(0)
        return await super().leased(keys)


def test_a_lease_check_failing_at_the_socket_is_tried_again_and_a_lost_run_still_ends(redis_url, caplog):
    """The watch that ends runs whose instance is gone outlives failed checks (a socket's error, Redis's): the
    run is ended for its follower at a later round (were the watch to die, it would wait for ever), and the
    operators read which run ended so, and how many of its tool calls were closed with it."""

    async def check(log, client, company, run):
        flaky = _LeasesFailingFirst(client, retention_seconds=60)
        await _append(flaky, company, _event(run, 0, "agent_started"), opened_by="sam", lease_seconds=5)
        await client.delete(lease_key(company, run))  # the instance running it is gone
        fanout = EventFanOut(live_events_client(redis_url), flaky, quiet_seconds=0.2)
        heard: list[str] = []
        await fanout.start()
        try:
            await fanout.follow(stream_key(company, run), 0, heard.append)
            await _until(lambda: any('"agent_failed"' in text for text in heard), timeout=5.0)
            return flaky.failed, [json.loads(text)["data"].get("code") for text in heard][-1:]
        finally:
            await fanout.close()

    with caplog.at_level(logging.WARNING, logger="app.fanout"):
        assert _in_log(redis_url, check) == (True, ["instance_lost"])
    ended = [r.getMessage() for r in caplog.records if "ended: its instance stopped" in r.getMessage()]
    assert len(ended) == 1 and ended[0].endswith("ended: its instance stopped (0 open tool calls closed)"), ended
    assert ended[0].startswith("run ") and ended[0].split()[1] != "0", ended


def test_a_follower_whose_missing_events_the_log_no_longer_holds_goes_on_from_what_it_heard(redis_url):
    """An event heard ahead of a gap sends the follower back to the log for what it missed; when the log no
    longer holds it (trimmed, expired), the follower goes on from what it heard instead of waiting for ever."""

    async def check(log, client, company, run):
        await _append(log, company, _event(run, 0, "agent_started"), opened_by="sam", lease_seconds=60)
        fanout = EventFanOut(live_events_client(redis_url), log, quiet_seconds=5)
        heard: list[str] = []
        await fanout.start()
        try:
            key = stream_key(company, run)
            await fanout.follow(key, 0, heard.append)
            await client.publish("live:" + key, json.dumps(_event(run, 2)))  # seq 1 is not in the log: gone
            await _until(lambda: any(json.loads(text)["seq"] == 2 for text in heard), timeout=5.0)
            return [json.loads(text)["seq"] for text in heard]
        finally:
            await fanout.close()

    assert _in_log(redis_url, check) == [2]


def test_a_fan_out_without_redis_tries_to_subscribe_again_every_half_second(caplog):
    """Neither in a loop that takes a core and floods the log, nor so seldom that hearing again waits."""

    async def two_seconds_without_redis() -> None:
        unreachable = f"redis://127.0.0.1:{free_port()}/0"
        fanout = EventFanOut(
            live_events_client(unreachable), EventStream(aioredis.Redis.from_url(unreachable), retention_seconds=60)
        )
        await fanout.start()  # waits 2 s for the subscription, then goes on without it
        await fanout.close()

    with caplog.at_level(logging.WARNING, logger="app.fanout"):
        asyncio.run(two_seconds_without_redis())
    tries = [r for r in caplog.records if "cannot subscribe to live events" in r.getMessage()]
    assert 3 <= len(tries) <= 5, f"{len(tries)} tries in 2 s"


def test_a_notification_redis_cannot_push_is_logged_by_its_id_with_the_reason(caplog):
    """It is stored and listed all the same; the operators read which one was not pushed live, and why."""

    class Away:
        def register_script(self, script):
            def refused(**_):
                raise redis.ConnectionError("Redis went away")

            return refused

    feed = NotificationFeed(Away(), aioredis.Redis())  # type: ignore[arg-type]
    notification = {
        "id": "n-1",
        "user_id": "u-1",
        "kind": "tasks_assigned",
        "text": "3 kick-off tasks",
        "subject_type": "project",
        "subject_id": "p-1",
        "created_at": datetime(2026, 12, 6, tzinfo=UTC),
    }
    with caplog.at_level(logging.WARNING, logger="app.events"):
        feed.publish("c-1", notification)  # type: ignore[arg-type]
    assert [r.getMessage() for r in caplog.records] == ["notification n-1 stored but not pushed live: Redis went away"]


def test_a_change_of_sessions_redis_cannot_tell_is_logged_by_company_and_person_with_the_reason(caplog):
    """The sockets still check the session before each message; the operators read whose notice was lost, and why."""

    class Away:
        def register_script(self, script):
            return None

        def publish(self, channel, message):
            raise redis.ConnectionError("Redis went away")

    feed = NotificationFeed(Away(), aioredis.Redis())  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger="app.events"):
        feed.session_changed("c-1", "u-1")
        feed.session_changed("c-2", None)
    assert [r.getMessage() for r in caplog.records] == [
        "sessions of c-1/u-1 changed; not told live: Redis went away",
        "sessions of c-2/None changed; not told live: Redis went away",
    ]


def test_the_fan_outs_client_gives_up_on_a_redis_that_never_answers_within_its_tries_of_a_second():
    """A Redis host that takes no connection (its queue full, as a host gone quiet behind a firewall): each of the
    four tries waits a second at most, so the instance says within seconds that it cannot tell the others."""
    quiet = socket.socket()
    quiet.bind(("127.0.0.1", 0))
    quiet.listen(0)
    port = quiet.getsockname()[1]
    queued = []
    for _ in range(3):  # the queue filled: a further connection is never taken
        waiting = socket.socket()
        waiting.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            waiting.connect(("127.0.0.1", port))
        queued.append(waiting)

    async def ping() -> float:
        client = live_events_client(f"redis://127.0.0.1:{port}")
        began = time.monotonic()
        with pytest.raises(redis.exceptions.TimeoutError):
            await client.ping()
        return time.monotonic() - began

    try:
        waited = asyncio.run(ping())
    finally:
        for connection in [*queued, quiet]:
            connection.close()
    assert 3.5 <= waited <= 6.0, f"four tries of a second each, with short pauses: {waited:.1f} s"


def test_the_leases_of_quiet_runs_are_looked_at_every_half_of_the_quiet_time(monkeypatch):
    """A run silent for the quiet time has its lease checked within half of it more: the watch wakes every half
    (a watch every third or every whole quiet time survived the sample: nothing timed it)."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            raise asyncio.CancelledError

    unreachable = "redis://127.0.0.1:9/0"
    fanout = EventFanOut(
        aioredis.Redis.from_url(unreachable),
        EventStream(aioredis.Redis.from_url(unreachable), retention_seconds=60),
        quiet_seconds=3.0,
    )
    monkeypatch.setattr("app.adapters.event_fanout.asyncio.sleep", sleep)
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(fanout._watch_leases())
    assert waits == [1.5, 1.5, 1.5]


def test_a_person_without_notifications_is_at_seq_0_and_their_first_is_seq_1(redis_url):
    """A socket follows a person's notifications from the seq they are at when it opens: one at 0 hears their
    first notification (seq 1) pushed live; at 1 it would take it for one already seen."""

    async def check() -> tuple[int, int]:
        client = aioredis.Redis.from_url(redis_url)
        try:
            with redis.Redis.from_url(redis_url) as sync_client:
                feed = NotificationFeed(sync_client, client)
                company, person = uuid.uuid4(), uuid.uuid4()
                before = await feed.last_seq(company, person)
                feed.publish(
                    company,
                    {  # type: ignore[arg-type]
                        "id": "n-1",
                        "user_id": person,
                        "kind": "tasks_assigned",
                        "text": "3 kick-off tasks",
                        "subject_type": "project",
                        "subject_id": "p-1",
                        "created_at": datetime(2026, 12, 7, tzinfo=UTC),
                    },
                )
                return before, await feed.last_seq(company, person)
        finally:
            await client.aclose()

    assert asyncio.run(check()) == (0, 1)


def test_new_events_the_analytics_copier_cannot_be_told_of_are_logged_at_debug_with_the_reason(caplog):
    """At the DEBUG level (``LOG_LEVEL``), an operator reads why the copier was not told, not a logging error."""

    class Away:
        async def publish(self, channel, message):
            raise redis.ConnectionError("Redis went away")

    fanout = EventFanOut(Away(), EventStream(aioredis.Redis(), retention_seconds=60))  # type: ignore[arg-type]
    with caplog.at_level(logging.DEBUG, logger="app.fanout"):
        asyncio.run(fanout.tell_analytics_waiting())
    assert caplog.messages == ["the analytics ingester cannot be told of new events now (Redis went away)"]


async def _slow_answers(upstream_port: int, delay_s: float) -> tuple[asyncio.Server, int]:
    """A TCP relay to ``upstream_port`` that passes on what the server says ``delay_s`` late (a Redis across a slow
    network); what the client says goes on at once."""

    async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                if delay:
                    await asyncio.sleep(delay)
                writer.write(data)
                await writer.drain()
        writer.close()

    async def serve(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
        await asyncio.gather(relay(client_reader, server_writer, 0), relay(server_reader, client_writer, delay_s))

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def test_the_fan_out_subscribes_to_a_redis_whose_answers_come_late(redis_url):
    """Each confirmation of the subscription is waited for (five seconds at most), not only taken if it is there
    already: across a network slower than this machine's loopback, the instance would otherwise never hear live
    events, nor the other instances' notices."""
    upstream = int(redis_url.rsplit(":", 1)[1].split("/")[0])

    async def hearing_through_a_slow_network() -> bool:
        relay, port = await _slow_answers(upstream, 0.05)
        slow_url = f"redis://127.0.0.1:{port}/0"
        stream_client = aioredis.Redis.from_url(slow_url)
        fanout = EventFanOut(live_events_client(slow_url), EventStream(stream_client, retention_seconds=60))
        try:
            await fanout.start()
            return await _until(lambda: fanout.hearing, timeout=5)
        finally:
            await fanout.close()
            await stream_client.aclose()
            relay.close()

    assert asyncio.run(hearing_through_a_slow_network()), "the fan-out never heard Redis through a slow network"


def test_a_renewed_lease_lasts_the_lease_s_time_and_no_longer(redis_url):
    """Another instance ends a run as lost once its lease lapses: a renewal must give the lease's time, no more,
    or a lost run's followers wait past what the settings say."""

    async def renewed(log: EventStream, client, company, run_id) -> int:
        await client.set(lease_key(company, run_id), "1", px=1000)
        await log.renew_leases([(company, run_id)], lease_seconds=5)
        return await client.pttl(lease_key(company, run_id))

    assert 4_900 < _in_log(redis_url, renewed) <= 5_000, "the lease renewed for five seconds, in milliseconds left"
