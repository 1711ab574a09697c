"""Deliberate damage to the platform's report cache, named as such: the one write the harness makes to Redis.

Used only to prove that the platform does not serve, or crash on, a cache entry it cannot read.
"""

from __future__ import annotations

import redis

from support.report.evidence import attach_json

GARBAGE = {  # as the feature names it: what replaces the cached report
    "text that is not JSON": "<<not json>>",
    "a JSON list": "[1, 2, 3]",
    "half of the report": '{"currencies": [{"currency": "EUR", "open": "5000.',
}


def overwrite_cached_report(redis_url: str, tenant_id: str, report: str, garbage: str) -> list[str]:
    """Overwrites every cached copy of ``report`` for the tenant; returns the keys overwritten."""
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        keys = list(client.scan_iter(match=f"tenant:{tenant_id}:report:{report}:v*", count=500))
        for key in keys:
            client.set(key, GARBAGE[garbage], keepttl=True)
    finally:
        client.close()
    attach_json(f"TAMPER: cached {report} overwritten with {garbage}", {"keys": keys, "value": GARBAGE[garbage]})
    if not keys:
        raise AssertionError(f"no cached {report} to overwrite: read it first")
    return keys
