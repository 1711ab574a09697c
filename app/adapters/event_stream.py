"""A run's events in a Redis stream, so any platform instance can replay and follow them.

Key: ``tenant:{tenant_id}:run:{run_id}:events``; each entry holds one JSON
envelope. Reading is ``app.service_layer.event_fanout``'s job. The stream is kept for ``retention_seconds`` after its last event;
a resume after that finds nothing and is told so.
"""

from __future__ import annotations

import json
from typing import Any

import redis.asyncio as aioredis

from app.adapters.tenant_cache import tenant_prefix


def stream_key(tenant_id: Any, run_id: str) -> str:
    return f"{tenant_prefix(tenant_id)}run:{run_id}:events"


def owner_key(tenant_id: Any, run_id: str) -> str:
    return f"{tenant_prefix(tenant_id)}run:{run_id}:owner"


class EventStream:
    def __init__(self, client: aioredis.Redis, *, retention_seconds: int) -> None:
        self._redis = client
        self._retention = retention_seconds

    async def open(self, tenant_id: Any, run_id: str, user_id: Any) -> None:
        """Records who may read the run; events of a run are for its user only."""
        await self._redis.set(owner_key(tenant_id, run_id), str(user_id), ex=self._retention)

    async def owner(self, tenant_id: Any, run_id: str) -> str | None:
        value = await self._redis.get(owner_key(tenant_id, run_id))
        return value.decode() if isinstance(value, bytes) else value

    async def publish(self, tenant_id: Any, event: dict[str, Any]) -> None:
        key = stream_key(tenant_id, event["run_id"])
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xadd(key, {"event": json.dumps(event)})
            pipe.expire(key, self._retention)
            pipe.expire(owner_key(tenant_id, event["run_id"]), self._retention)
            await pipe.execute()

    async def exists(self, tenant_id: Any, run_id: str) -> bool:
        return bool(await self._redis.exists(stream_key(tenant_id, run_id)))
