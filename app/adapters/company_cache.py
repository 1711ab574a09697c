"""Redis cache of each company's read models, every key under ``tenant:{company_id}:``.

Invalidation is by version: every cached report's key includes the company's
data version, read from the database (the audit sequence, which every business
write advances in its own transaction, with its last entry's hash, which a
restore does not bring back). So no read can see a report computed
before a committed write, even when Redis missed that write (down, paused):
nothing has to reach Redis for a cached report to go stale.
A cold report asked for by many at once is computed once: the first takes a
short lock, the others wait for its value (stampede guard); every computation
is counted under ``tenant:{id}:reports:computations``.
A Redis failure is never an error: reads fall through to the database.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar, cast

import redis

log = logging.getLogger("app.cache")

T = TypeVar("T")


def company_prefix(company_id: uuid.UUID) -> str:
    return f"tenant:{company_id}:"


SCAN_HINT = 1000  # keys SCAN looks at a call: how much work a round trip does, not which keys are found


def forget_company(client: redis.Redis, company_id: uuid.UUID) -> int | None:
    """Deletes every key in the company's namespace (reports, event logs, notifications); None when Redis is away."""
    try:
        removed = 0
        with client.pipeline(transaction=False) as pipe:  # every key unlinked in one round trip
            for key in client.scan_iter(match=f"{company_prefix(company_id)}*", count=SCAN_HINT):
                pipe.unlink(key)
                removed += 1
            pipe.execute()
        return removed
    except redis.RedisError as error:
        log.warning("the removed company %s's cache keys stay until they expire: %s", company_id, error)
        return None


class CompanyCache:
    def __init__(self, client: redis.Redis, *, ttl_seconds: int, data_version: Callable[[uuid.UUID], object]) -> None:
        self._redis = client
        self._ttl = ttl_seconds
        self._data_version = data_version

    def cached(self, company_id: uuid.UUID, name: str, compute: Callable[[], T], *, wait_seconds: float = 5.0) -> T:
        """The report ``name`` from the cache, or computed once (by whoever takes the lock) and stored."""
        version = self._data_version(company_id)
        try:
            key = f"{company_prefix(company_id)}report:{name}:v{version}"
            deadline = time.monotonic() + wait_seconds
            while True:
                hit = self._readable(key)
                if hit is not None:
                    return cast(T, hit)
                if self._redis.set(key + ":computing", "1", nx=True, ex=int(wait_seconds) + 1):
                    hit = self._readable(key)  # stored by the previous holder just before we took the lock?
                    if hit is not None:
                        self._redis.delete(key + ":computing")
                        return cast(T, hit)
                    break
                if time.monotonic() > deadline:  # the computing reader is stuck: compute anyway
                    break
                time.sleep(0.02)
        except redis.RedisError as exc:
            log.warning("cache unavailable, computing %s directly: %s", name, exc)
            return compute()
        value = compute()
        try:
            pipe = self._redis.pipeline()
            pipe.set(key, json.dumps(value, default=str), ex=self._ttl)
            pipe.incr(self.computations_key(company_id))
            pipe.delete(key + ":computing")
            pipe.execute()
        except redis.RedisError as exc:
            log.warning("cache unavailable, %s not stored: %s", name, exc)
        return value

    def _readable(self, key: str) -> dict[str, Any] | None:
        """The cached report under ``key``; None when there is none, or what is there is not a report
        (undecodable, or not an object): such an entry is dropped and the report computed again."""
        raw = self._redis.get(key)
        if raw is None:
            return None
        try:
            value = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            value = None
        if isinstance(value, dict):
            return value
        log.warning("dropping an unreadable cache entry %s", key)
        self._redis.delete(key)
        return None

    def computations_key(self, company_id: uuid.UUID) -> str:
        return company_prefix(company_id) + "reports:computations"

    def computations(self, company_id: uuid.UUID) -> int | None:
        """How many times this company's reports were computed (None while Redis is unavailable)."""
        try:
            return int(self._redis.get(self.computations_key(company_id)) or 0)
        except redis.RedisError:
            return None
