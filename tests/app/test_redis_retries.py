"""The live events' Redis client tries a command three more times after a connection error or a time-out
(Redis restarted: its first command after fails), backing off up to a second; a fourth failure is told."""

from __future__ import annotations

import asyncio

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeout

from app.bootstrap import reconnect_retry


def _tried(failures: list[Exception]) -> tuple[str, int]:
    """What a command failing with ``failures`` first gives through the retry, and how often it was tried."""
    tries = 0

    async def command() -> str:
        nonlocal tries
        tries += 1
        if failures:
            raise failures.pop(0)
        return "PONG"

    async def noted(_error: Exception) -> None:
        return None

    return asyncio.run(reconnect_retry().call_with_retry(command, noted)), tries


def test_three_failures_in_a_row_are_tried_again_and_the_command_answers():
    assert _tried([RedisConnectionError("closed"), RedisTimeout("slow"), RedisConnectionError("closed")]) == (
        "PONG",
        4,
    )


def test_a_fourth_failure_in_a_row_is_told():
    with pytest.raises(RedisConnectionError):
        _tried([RedisConnectionError("closed")] * 4)
