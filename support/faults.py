"""Faults injected with the real servers' own means, always healed.

Each fault is a context the caller registers for cleanup where it is
acquired, so it is healed even when the scenario fails. Names follow
Toxiproxy's fault kinds where one fits (``down``, ``latency``).
"""

from __future__ import annotations

from typing import Any

import psycopg
import requests

from support.evidence import attach_json


class HeldTenantLock:
    """Holds a row lock on one tenant, as a long-running job would: every audited write of it waits."""

    def __init__(self, database_url: str, tenant_id: str) -> None:
        self._conn = psycopg.connect(database_url)
        self._conn.execute("SELECT id FROM tenants WHERE id = %s FOR NO KEY UPDATE", (tenant_id,))
        attach_json("fault: tenant row lock held", {"tenant_id": tenant_id, "how": "SELECT ... FOR NO KEY UPDATE, left open"})

    def release(self) -> None:
        if not self._conn.closed:
            self._conn.rollback()
            self._conn.close()


class DoubleFault:
    """A fault set on a double's control endpoint (down, latency_ms, ...); ``heal`` sets it back to normal."""

    def __init__(self, control_url: str, fault: dict[str, Any]) -> None:
        self._url = control_url.rstrip("/") + "/_control"
        response = requests.post(self._url, json=fault, timeout=5)
        response.raise_for_status()
        attach_json(f"fault: {fault} at {self._url}", response.json())

    def heal(self) -> None:
        requests.post(self._url, json={}, timeout=5).raise_for_status()
