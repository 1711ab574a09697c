"""A follower's catch-up that failed is logged, saying why; one that ended well or was cancelled (its follower
gone) says nothing and raises nothing in the event loop's callback."""

from __future__ import annotations

import asyncio
import logging

import pytest

from app.adapters.event_fanout import _log_failure


async def _ended(how: str) -> asyncio.Task:
    async def work() -> None:
        if how == "failed":
            raise ConnectionError("Redis is away")
        if how == "cancelled":
            await asyncio.sleep(10)

    task = asyncio.create_task(work())
    if how == "cancelled":
        await asyncio.sleep(0)
        task.cancel()
    await asyncio.wait([task])
    return task


@pytest.mark.parametrize(
    ("how", "said"),
    [("well", []), ("cancelled", []), ("failed", ["catching up a follower failed: Redis is away"])],
)
def test_only_a_failed_catch_up_is_logged_and_the_callback_never_raises(how, said, caplog):
    with caplog.at_level(logging.WARNING, logger="app.fanout"):
        _log_failure(asyncio.run(_ended(how)))
    assert [r.getMessage() for r in caplog.records] == said
