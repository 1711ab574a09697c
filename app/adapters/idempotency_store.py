"""Idempotency keys for writes that move money (Stripe's contract).

The request holding a key holds a transaction-scoped advisory lock on it for
the whole of its work, and the stored result commits with that work. So a
second request with the same key sees it in use while the first runs, and if
the first dies (its connection lost, the server restarted) PostgreSQL drops the
lock with its transaction: nothing is stored and the key is free for a retry.
There is no "in progress" row that a crash could leave behind.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.dialects.postgresql import insert

from app.adapters.tables import idempotency_keys
from app.domain.clock import utc_now

KEY_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class StoredKey:
    fingerprint: str
    result: Any  # the service's result as JSON (``exactly_once`` keeps and restores it)


class IdempotencyStore:
    def __init__(self, conn: Connection, company: uuid.UUID) -> None:
        self._conn = conn
        self._company = company

    def lock(self, key: str) -> bool:
        """Takes the key for this transaction; False when another running request holds it."""
        return bool(
            self._conn.execute(
                select(func.pg_try_advisory_xact_lock(func.hashtextextended(f"idempotency:{self._company}:{key}", 0)))
            ).scalar_one()
        )

    def stored(self, key: str) -> StoredKey | None:
        """The result an earlier, completed request with this key stored (expired keys are forgotten)."""
        self._conn.execute(
            delete(idempotency_keys).where(
                idempotency_keys.c.tenant_id == self._company,
                idempotency_keys.c.key == key,
                idempotency_keys.c.expires_at <= utc_now(),
            )
        )
        row = (
            self._conn.execute(
                select(idempotency_keys).where(
                    idempotency_keys.c.tenant_id == self._company, idempotency_keys.c.key == key
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else StoredKey(row["fingerprint"], row["result"])

    def store(self, key: str, fingerprint: str, result: Any) -> None:
        now = utc_now()
        self._conn.execute(
            insert(idempotency_keys).values(
                tenant_id=self._company,
                key=key,
                fingerprint=fingerprint,
                state="completed",
                result=result,
                created_at=now,
                expires_at=now + KEY_LIFETIME,
            )
        )
