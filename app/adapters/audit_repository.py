"""Append-only audit entries, hash-chained per company.

Appending locks the company's row, so entries of one company get gap-free
sequence numbers and each links to the one truly before it.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.adapters.rows import records
from app.adapters.tables import audit_entries, tenants
from app.domain.audit import AuditRecord, entry_hash
from app.domain.clock import utc_now
from app.domain.records import AuditEntryRecord


class AuditRepository:
    def __init__(self, conn: Connection, company: uuid.UUID) -> None:
        self._conn = conn
        self._company = company

    def append(
        self,
        *,
        action: str,
        actor_id: uuid.UUID | None,
        entity_type: str,
        entity_id: uuid.UUID | str,
        data: dict[str, Any] | None = None,
    ) -> None:
        head = self._conn.execute(
            select(tenants.c.audit_seq, tenants.c.audit_head)
            .where(tenants.c.id == self._company)
            .with_for_update(key_share=True)  # FOR NO KEY UPDATE: inserts referencing the company go on
        ).one()
        record = AuditRecord(
            seq=head.audit_seq + 1,
            action=action,
            actor_id=str(actor_id) if actor_id else None,
            entity_type=entity_type,
            entity_id=str(entity_id),
            occurred_at=utc_now(),
            data=data or {},
        )
        digest = entry_hash(head.audit_head, record)
        self._conn.execute(
            insert(audit_entries).values(
                id=uuid.uuid4(),
                tenant_id=self._company,
                seq=record.seq,
                action=record.action,
                actor_id=actor_id,
                entity_type=record.entity_type,
                entity_id=record.entity_id,
                occurred_at=record.occurred_at,
                data=record.data,
                prev_hash=head.audit_head,
                hash=digest,
            )
        )
        self._conn.execute(
            update(tenants).where(tenants.c.id == self._company).values(audit_seq=record.seq, audit_head=digest)
        )

    def entries(self, *, after_seq: int, limit: int) -> list[AuditEntryRecord]:
        query = (
            select(audit_entries)
            .where(audit_entries.c.tenant_id == self._company, audit_entries.c.seq > after_seq)
            .order_by(audit_entries.c.seq)
            .limit(limit)
        )
        return records(self._conn.execute(query).mappings())
