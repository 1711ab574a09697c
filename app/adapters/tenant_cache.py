"""Redis cache of per-tenant read models, every key under ``tenant:{tenant_id}:``.

Invalidation is by version: each tenant has a reports version counter and
every cached report's key includes it. A committed business write bumps the
version, so no later read can see a report computed before that write.
A Redis failure is never an error: reads fall through to the database.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

import redis

log = logging.getLogger("app.cache")


def tenant_prefix(tenant_id: uuid.UUID) -> str:
    return f"tenant:{tenant_id}:"


class TenantCache:
    def __init__(self, client: redis.Redis, *, ttl_seconds: int) -> None:
        self._redis = client
        self._ttl = ttl_seconds

    def _version_key(self, tenant_id: uuid.UUID) -> str:
        return tenant_prefix(tenant_id) + "reports:version"

    def cached(self, tenant_id: uuid.UUID, name: str, compute: Callable[[], Any]) -> Any:
        """The report ``name`` from the cache, or ``compute()`` stored for next time."""
        try:
            version = int(self._redis.get(self._version_key(tenant_id)) or 0)
            key = f"{tenant_prefix(tenant_id)}report:{name}:v{version}"
            hit = self._redis.get(key)
            if hit is not None:
                return json.loads(hit)
        except redis.RedisError as exc:
            log.warning("cache unavailable, computing %s directly: %s", name, exc)
            return compute()
        value = compute()
        try:
            self._redis.set(key, json.dumps(value, default=str), ex=self._ttl)
        except redis.RedisError as exc:
            log.warning("cache unavailable, %s not stored: %s", name, exc)
        return value

    def invalidate(self, tenant_ids: set[uuid.UUID]) -> None:
        """Makes every cached report of these tenants stale (called after a write commits)."""
        for tenant_id in tenant_ids:
            try:
                self._redis.incr(self._version_key(tenant_id))
                self._redis.expire(self._version_key(tenant_id), 7 * 24 * 3600)
            except redis.RedisError as exc:
                log.warning("cache unavailable, reports of %s not invalidated: %s", tenant_id, exc)
