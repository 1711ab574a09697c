"""Tenants and users."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.adapters.tables import revoked_tokens, tenants, users
from app.domain.audit import GENESIS_HASH
from app.domain.clock import utc_now


def tenant_data_version(engine: Engine, tenant_id: uuid.UUID) -> int:
    """How far the tenant's business data has moved: its audit sequence, advanced by every business write."""
    with engine.connect() as conn:
        return int(conn.execute(select(tenants.c.audit_seq).where(tenants.c.id == tenant_id)).scalar() or 0)


class TenancyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def slug_taken(self, slug: str) -> bool:
        return self._conn.execute(select(tenants.c.id).where(tenants.c.slug == slug)).first() is not None

    def add_tenant(self, *, name: str, slug: str) -> dict[str, Any]:
        row = {
            "id": uuid.uuid4(),
            "name": name,
            "slug": slug,
            "audit_seq": 0,
            "audit_head": GENESIS_HASH,
            "created_at": utc_now(),
        }
        self._conn.execute(insert(tenants).values(**row))
        return row

    def tenant_by_slug(self, slug: str) -> dict[str, Any] | None:
        row = self._conn.execute(select(tenants).where(tenants.c.slug == slug)).mappings().first()
        return dict(row) if row else None

    def add_user(self, *, tenant_id: uuid.UUID, **fields: Any) -> dict[str, Any]:
        row = {"id": uuid.uuid4(), "tenant_id": tenant_id, "created_at": utc_now(), **fields}
        return dict(self._conn.execute(insert(users).values(**row).returning(*users.c)).mappings().one())

    def email_taken(self, tenant_id: uuid.UUID, email: str) -> bool:
        query = select(users.c.id).where(users.c.tenant_id == tenant_id, users.c.email == email)
        return self._conn.execute(query).first() is not None

    def user(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> dict[str, Any] | None:
        query = select(users).where(users.c.tenant_id == tenant_id, users.c.id == user_id)
        row = self._conn.execute(query).mappings().first()
        return dict(row) if row else None

    def user_by_email(self, tenant_id: uuid.UUID, email: str) -> dict[str, Any] | None:
        query = select(users).where(users.c.tenant_id == tenant_id, users.c.email == email)
        row = self._conn.execute(query).mappings().first()
        return dict(row) if row else None

    def users(self, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
        query = select(users).where(users.c.tenant_id == tenant_id).order_by(users.c.created_at)
        return [dict(r) for r in self._conn.execute(query).mappings()]

    def revoke_token(self, tenant_id: uuid.UUID, token_id: str, expires_at: datetime) -> None:
        self._conn.execute(
            pg_insert(revoked_tokens)
            .values(token_id=token_id, tenant_id=tenant_id, expires_at=expires_at)
            .on_conflict_do_nothing()
        )

    def token_revoked(self, token_id: str) -> bool:
        query = select(revoked_tokens.c.token_id).where(revoked_tokens.c.token_id == token_id)
        return self._conn.execute(query).first() is not None
