"""Each database pool of the platform holds at most the connections its setting gives it: one more asked for
waits the pool's time-out and is refused (the platform then answers busy), never opened beyond the size. A
pool that grew past its size would take connections the database keeps for the other instances."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine

from app.entrypoints.http.routes_health import _pool_gauges
from tests.app.unstarted_platform import unstarted_platform

WAIT = 0.3


@pytest.fixture
def platform(stack):
    made = unstarted_platform(
        stack,
        db_pool_size=1,
        db_async_pool_size=1,
        db_payments_pool_size=1,
        db_pool_timeout_seconds=WAIT,
        db_async_pool_timeout_seconds=WAIT,
        redis_async_pool_size=3,
    )
    yield made
    made.close()


def test_the_blocking_pool_opens_no_connection_beyond_its_size(platform):
    with platform.engine.connect():
        began = time.monotonic()
        with pytest.raises(PoolTimeout), platform.engine.connect():
            pass
        assert time.monotonic() - began >= WAIT * 0.9, "the second asker waited the pool's time-out first"


@pytest.mark.parametrize("pool", ["async_engine", "payments_engine"])
def test_each_asyncio_pool_opens_no_connection_beyond_its_size(platform, pool):
    engine: AsyncEngine = getattr(platform, pool)

    async def second_while_first_held() -> None:
        try:
            async with engine.connect():
                with pytest.raises(PoolTimeout):
                    async with engine.connect():
                        pass
        finally:
            await engine.dispose()

    asyncio.run(second_while_first_held())


def test_the_asyncio_redis_pool_is_as_large_as_its_setting(platform):
    """A blocking pool: a fourth command while three hold its connections waits (up to 20 s) for one."""
    assert platform.async_redis.connection_pool.max_connections == 3


def test_the_metrics_give_every_pool_its_size_and_connections_by_state(platform):
    """The operators (and the leak check) read each pool by its name in /metrics: a pool left out reads as empty."""
    samples = [line for line in _pool_gauges(platform) if not line.startswith("#")]
    for pool in ("blocking", "asyncio", "payments"):
        mine = [line for line in samples if f'pool="{pool}"' in line]
        assert f'platform_db_pool_connections{{pool="{pool}",state="size"}} 1' in mine, samples
        assert {line.split('state="')[1].split('"')[0] for line in mine if 'state="' in line} >= {
            "in_use",
            "idle",
            "overflow",
            "size",
        }, mine
