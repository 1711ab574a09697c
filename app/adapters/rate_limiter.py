"""A per-user limit on assistant runs: a fixed one-minute window counted in Redis.

With Redis down the limit is not enforced (documented degraded mode): the
assistant stays usable and the failure is logged.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis.asyncio as aioredis

from app.adapters.tenant_cache import tenant_prefix

log = logging.getLogger("app.rate_limit")


class RunRateLimiter:
    def __init__(self, client: aioredis.Redis) -> None:
        self._redis = client

    async def allow(self, tenant_id: Any, user_id: Any, per_minute: int) -> bool:
        window = int(time.time() // 60)
        key = f"{tenant_prefix(tenant_id)}ratelimit:assistant:{user_id}:{window}"
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(key)
                pipe.expire(key, 120)
                count, _ = await pipe.execute()
        except aioredis.RedisError as exc:
            log.warning("rate limit not enforced, cache unavailable: %s", exc)
            return True
        return int(count) <= per_minute
