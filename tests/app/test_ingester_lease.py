"""One instance copies the analytics events at a time: it holds a lease of 5 s in Redis, renewed as it copies. A
lease always lapses by itself (an instance that dies holding it is followed within 5 s), and an instance whose
lease lapsed and was taken never renews it for the one that took it."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
import redis

from app.adapters.wake import Wakes
from app.main import INGESTER_LEASE, INGESTER_LEASE_MS, _hold_lease

FIRST, SECOND = "instance-1", "instance-2"


@pytest.fixture
def client(stack):
    """The stack's Redis, in a database of its own: the running instances hold the real lease in theirs."""
    with redis.Redis.from_url(stack.env["REDIS_URL"].rsplit("/", 1)[0] + "/7") as connection:
        connection.delete(INGESTER_LEASE)
        yield connection
        connection.delete(INGESTER_LEASE)


def test_a_free_lease_is_taken_and_always_lapses_by_itself(client):
    assert _hold_lease(client, FIRST)
    assert 0 < client.pttl(INGESTER_LEASE) <= INGESTER_LEASE_MS, "a lease without an end outlives its holder"
    assert client.get(INGESTER_LEASE) == FIRST.encode()


def test_a_held_lease_is_renewed_by_its_holder_and_refused_to_another(client):
    assert _hold_lease(client, FIRST)
    client.pexpire(INGESTER_LEASE, 100)  # nearly lapsed
    assert not _hold_lease(client, SECOND)
    assert _hold_lease(client, FIRST)
    assert client.pttl(INGESTER_LEASE) > 100, "the holder's renewal gives it the whole lease again"


def test_a_lease_that_lapsed_and_was_taken_is_not_renewed_by_its_old_holder(client):
    assert _hold_lease(client, FIRST)
    client.delete(INGESTER_LEASE)  # lapsed while the first instance was away
    assert _hold_lease(client, SECOND)
    assert not _hold_lease(client, FIRST)
    assert client.get(INGESTER_LEASE) == SECOND.encode()


class Store:
    def __init__(self) -> None:
        self.migrated = 0

    def migrate(self) -> None:
        self.migrated += 1


def _copies_while(monkeypatch, holds: bool, each: int = 0, rung_at: tuple[float, ...] = ()) -> list[str]:
    """What the ingester of an instance did for half a second while it held the lease (or another did), each
    copy of the events copying ``each`` of them, its wake rung ``rung_at`` those seconds (events recorded on this
    instance, or another telling it): a copy, or ``told`` for a notice sent to the instance that copies."""
    from app import main

    done: list[str] = []
    monkeypatch.setattr(main, "_hold_lease", lambda client, me: holds)
    monkeypatch.setattr(main.analytics, "stored_up_to", lambda store: {})
    monkeypatch.setattr(main.analytics, "recopy_companies", lambda engine, store, up_to: [])
    monkeypatch.setattr(main.analytics, "ingest_batch", lambda engine, store, up_to: done.append("events") or each)
    monkeypatch.setattr(main.analytics, "ingest_assistant_use", lambda engine, store: done.append("use") or 0)

    async def tell_analytics_waiting() -> None:
        done.append("told")

    fanout = SimpleNamespace(on_analytics_waiting=None, tell_analytics_waiting=tell_analytics_waiting)
    platform = SimpleNamespace(redis=None, engine=None, analytics=Store(), wakes=Wakes(), fanout=fanout)

    async def for_a_while() -> None:
        copying = asyncio.create_task(main.ingest_forever(platform))
        for at in rung_at:
            asyncio.get_running_loop().call_later(at, lambda: fanout.on_analytics_waiting())
        await asyncio.sleep(0.5)
        copying.cancel()

    asyncio.run(for_a_while())
    return done


def test_the_instance_holding_the_lease_copies_and_another_does_not(monkeypatch):
    assert _copies_while(monkeypatch, holds=True)[:2] == ["events", "use"], "alone, it holds the lease: it copies"
    assert _copies_while(monkeypatch, holds=False) == []


def test_with_nothing_to_copy_the_ingester_waits_until_events_are_recorded_and_copies_them_at_once(monkeypatch):
    """An idle platform does not ask the database for new events five times a second (it did: a tenth of an
    instance's CPU while it served reads); events recorded anywhere are copied as soon as the copier is told."""
    idle = _copies_while(monkeypatch, holds=True).count("events")
    assert idle == 1, f"{idle} looks for events in half a second with none recorded: it polls"
    woken = _copies_while(monkeypatch, holds=True, rung_at=(0.1, 0.3)).count("events")
    assert woken == 3, f"{woken} copies: one at the start and one at each of the two times it was told, expected"


def test_an_instance_not_copying_tells_the_copier_of_events_recorded_here_and_of_nothing_else(monkeypatch):
    assert _copies_while(monkeypatch, holds=False) == [], "nothing recorded here: nobody is told"
    told = _copies_while(monkeypatch, holds=False, rung_at=(0.05, 0.06, 0.07))
    assert told == ["told", "told"], (
        f"three events recorded within 20 ms tell the copier of the first at once and of the two others 200 ms "
        f"later (once, whatever their number), without copying: {told}"
    )
    told = _copies_while(monkeypatch, holds=False, rung_at=tuple(i / 50 for i in range(1, 25)))
    assert told.count("told") <= 3, f"an event every 20 ms for half a second told the copier {len(told)} times"


@pytest.mark.parametrize(("each", "rounds_at_most"), [(199, 3), (200, None)])
def test_a_copy_of_fewer_events_than_a_block_waits_before_the_next_and_a_full_one_goes_straight_on(
    monkeypatch, each, rounds_at_most
):
    """While events trickle in they are copied in blocks, a copy every 200 ms; a backlog (copies of 200 events and
    more, as docs/platform.md says) is copied without a pause."""
    rounds = _copies_while(monkeypatch, holds=True, each=each).count("events")
    if rounds_at_most is not None:
        assert rounds <= rounds_at_most, f"{rounds} copies of {each} events in half a second: no pause between them"
    else:
        assert rounds > 3 * 3, f"only {rounds} copies of a full block in half a second: it paused between them"
