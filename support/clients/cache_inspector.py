"""Read-only look at the platform's Redis: which keys exist, with their time to live."""

from __future__ import annotations

import redis

from support.report.evidence import attach_json, attach_text


class CacheInspector:
    def __init__(self, redis_url: str | None) -> None:
        self._client = redis.Redis.from_url(redis_url, decode_responses=True) if redis_url else None

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

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
