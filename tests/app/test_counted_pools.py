"""A pool counts the callers waiting for one of its connections, from asking until having one or giving up."""

from __future__ import annotations

import sqlite3
import threading

from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import QueuePool

from app.adapters.counted_pools import counting_waits, waiting
from support.scenario.eventually import eventually


def _pool(timeout: float) -> QueuePool:
    return counting_waits(QueuePool)(lambda: sqlite3.connect(":memory:"), pool_size=1, max_overflow=0, timeout=timeout)


def test_a_caller_counts_as_waiting_while_every_connection_is_taken_and_no_longer_once_it_gives_up():
    pool = _pool(timeout=1.0)
    held = pool.connect()
    assert waiting(pool) == 0
    outcome: list[str] = []

    def ask() -> None:
        try:
            pool.connect()
        except PoolTimeout:
            outcome.append("gave up")

    asking = threading.Thread(target=ask)
    asking.start()
    eventually(lambda: _assert_equal(waiting(pool), 1), timeout=0.8, interval=0.02)
    asking.join()
    assert outcome == ["gave up"]
    assert waiting(pool) == 0
    held.close()


def test_a_caller_that_gets_a_connection_no_longer_waits():
    pool = _pool(timeout=5.0)
    held = pool.connect()
    got = threading.Event()
    asking = threading.Thread(target=lambda: (pool.connect(), got.set()))
    asking.start()
    eventually(lambda: _assert_equal(waiting(pool), 1), timeout=2, interval=0.02)
    held.close()
    asking.join(5)
    assert got.is_set() and waiting(pool) == 0


def test_each_pool_class_keeps_a_count_of_its_own_and_a_plain_pool_counts_nobody():
    assert counting_waits(QueuePool).waiting is not counting_waits(QueuePool).waiting
    assert waiting(QueuePool(lambda: sqlite3.connect(":memory:"))) == 0


def _assert_equal(actual: int, expected: int) -> None:
    assert actual == expected, actual
