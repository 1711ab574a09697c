"""The assistant's per-person allowances: a question, or several look-ups at once, taken in one round trip."""

from __future__ import annotations

import asyncio
import uuid

import redis.asyncio as aioredis

from app.adapters.rate_limiter import RunRateLimiter


def test_look_ups_are_taken_one_at_a_time_until_the_allowance_is_used_up(stack):
    async def takes() -> list[bool]:
        client = aioredis.Redis.from_url(stack.env["REDIS_URL"])
        limiter, company, person = RunRateLimiter(client), uuid.uuid4(), uuid.uuid4()
        try:
            return [
                await limiter.allow_tool_calls(company, person, 2, 3),  # 2 of 3 taken
                await limiter.allow_tool_calls(company, person, 2, 3),  # the third taken, the fourth refused
                await limiter.allow_tool_calls(company, person, 1, 3),  # nothing left
                await limiter.allow_tool_calls(company, uuid.uuid4(), 3, 3),  # another person's own allowance
            ]
        finally:
            await client.aclose()

    assert asyncio.run(takes()) == [True, False, False, True]


def test_questions_are_counted_apart_from_look_ups(stack):
    async def takes() -> list[bool]:
        client = aioredis.Redis.from_url(stack.env["REDIS_URL"])
        limiter, company, person = RunRateLimiter(client), uuid.uuid4(), uuid.uuid4()
        try:
            return [
                await limiter.allow_tool_calls(company, person, 1, 1),
                await limiter.allow(company, person, 1),
                await limiter.allow(company, person, 1),
            ]
        finally:
            await client.aclose()

    assert asyncio.run(takes()) == [True, True, False]
