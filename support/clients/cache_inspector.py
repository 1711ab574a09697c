"""Read-only look at the platform's Redis: which keys exist, with their time to live."""

from __future__ import annotations

import redis

from support.report.evidence import attach_json, attach_text


class CacheInspector:
    def __init__(self, redis_url: str | None) -> None:
        self._client = redis.Redis.from_url(redis_url, decode_responses=True) if redis_url else None
        self._quick = (  # for the checks of every scenario: a cache stopped or paused by a scenario is not waited for
            redis.Redis.from_url(redis_url, decode_responses=True, socket_timeout=3, socket_connect_timeout=1)
            if redis_url
            else None
        )

    @property
    def available(self) -> bool:
        return self._client is not None

    def keys(self, pattern: str = "*") -> dict[str, int] | None:
        """Keys matching ``pattern`` with their TTL in seconds (-1: none), found with SCAN (never KEYS)."""
        if self._client is None:
            attach_text(f"cache check skipped: {pattern}", "no REDIS_URL was given")
            return None
        found = {key: self._client.ttl(key) for key in self._client.scan_iter(match=pattern, count=500)}
        attach_json(f"cache: keys {pattern} ({len(found)})", found)
        return found

    def names(self) -> list[str] | None:
        """Every key's name (SCAN), nothing attached; None without a cache, or with the cache stopped or paused."""
        if self._quick is None:
            return None
        try:
            return list(self._quick.scan_iter(count=2000))
        except redis.RedisError:
            return None

    def close(self) -> None:
        for client in (self._client, self._quick):
            if client is not None:
                client.close()
