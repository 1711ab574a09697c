"""Idempotency keys for writes that move money (Stripe's contract).

A key is claimed in its own short transaction before the work starts, so a
second request with the same key sees it as in progress; the stored response
is written in the same transaction as the work it describes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects.postgresql import insert

from app.adapters.tables import idempotency_keys
from app.domain.clock import utc_now

KEY_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class StoredKey:
    fingerprint: str
    state: str
    response_status: int | None
    response_body: Any


class IdempotencyStore:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def claim(self, tenant_id: uuid.UUID, key: str, fingerprint: str) -> StoredKey | None:
        """Claims the key; None when claimed now, else what an earlier request stored."""
        now = utc_now()
        self._conn.execute(delete(idempotency_keys).where(
            idempotency_keys.c.tenant_id == tenant_id, idempotency_keys.c.key == key,
            idempotency_keys.c.expires_at <= now))
        claimed = self._conn.execute(
            insert(idempotency_keys)
            .values(tenant_id=tenant_id, key=key, fingerprint=fingerprint, state="in_progress",
                    created_at=now, expires_at=now + KEY_LIFETIME)
            .on_conflict_do_nothing()
            .returning(idempotency_keys.c.key)
        ).first()
        if claimed:
            return None
        row = self._conn.execute(select(idempotency_keys).where(
            idempotency_keys.c.tenant_id == tenant_id, idempotency_keys.c.key == key)).mappings().one()
        return StoredKey(row["fingerprint"], row["state"], row["response_status"], row["response_body"])

    def complete(self, tenant_id: uuid.UUID, key: str, status: int, body: Any) -> None:
        self._conn.execute(
            update(idempotency_keys)
            .where(idempotency_keys.c.tenant_id == tenant_id, idempotency_keys.c.key == key)
            .values(state="completed", response_status=status, response_body=body)
        )

    def release(self, tenant_id: uuid.UUID, key: str) -> None:
        """Forget a claim whose work did not happen, so the client may retry with the same key."""
        self._conn.execute(delete(idempotency_keys).where(
            idempotency_keys.c.tenant_id == tenant_id, idempotency_keys.c.key == key))
