"""A per-user limit on assistant runs: at most N in any 60 seconds (a sliding window in Redis).

Each accepted run is a member of a sorted set scored by time; members older than
the window are dropped before counting, all in one script, so concurrent
questions cannot slip past the limit together. A refused attempt is not counted. With
Redis down the limit is not enforced (documented degraded mode): the assistant
stays usable and the failure is logged.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

import redis.asyncio as aioredis

from app.adapters.company_cache import company_prefix

log = logging.getLogger("app.rate_limit")
WINDOW_SECONDS = 60
# KEYS[1] the user's set; ARGV: now, window, limit, member, count. Takes ``count`` places one at a time (members
# member:1 .. member:count); returns 1 when all were taken, 0 at the first refused (those before it stay taken).
ALLOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, tonumber(ARGV[1]) - tonumber(ARGV[2]))
for n = 1, tonumber(ARGV[5]) do
  if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4] .. ':' .. n)
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
end
return 1
"""


class RunRateLimiter:
    def __init__(self, client: aioredis.Redis) -> None:
        self._allow = client.register_script(ALLOW)

    async def allow_tool_calls(self, company_id: Any, user_id: Any, count: int, per_minute: int) -> bool:
        """Takes ``count`` tool calls from the person's allowance of ``per_minute``; False once it is used up."""
        key = f"{company_prefix(company_id)}ratelimit:assistant-tools:{user_id}"
        try:
            return await self._take(key, per_minute, count)
        except aioredis.RedisError as exc:
            log.warning("tool-call limit not enforced, cache unavailable: %s", exc)
            return True

    async def _take(self, key: str, per_minute: int, count: int) -> bool:
        """One round trip: ``count`` places of the allowance at ``key``, taken one at a time; whether all were."""
        taken = await self._allow(keys=[key], args=[time.time(), WINDOW_SECONDS, per_minute, uuid.uuid4().hex, count])
        return bool(taken)

    async def allow(self, company_id: Any, user_id: Any, per_minute: int) -> bool:
        key = f"{company_prefix(company_id)}ratelimit:assistant:{user_id}"
        try:
            return await self._take(key, per_minute, 1)
        except aioredis.RedisError as exc:
            log.warning("rate limit not enforced, cache unavailable: %s", exc)
            return True
