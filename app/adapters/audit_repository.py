"""Append-only audit entries, hash-chained per company.

Appending locks the company's row, so entries of one company get gap-free
sequence numbers and each links to the one truly before it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, bindparam, select, text

from app.adapters.rows import records
from app.adapters.tables import JSON_DOC, audit_entries, tenants
from app.domain.audit import AuditRecord, entry_hash
from app.domain.clock import utc_now
from app.domain.records import AuditEntryRecord

# The entry and the company's new head in one round trip (the head was read under the row's lock)
_APPEND = text(
    """
    WITH entry AS (
        INSERT INTO audit_entries
            (id, tenant_id, seq, action, actor_id, entity_type, entity_id, occurred_at, data, prev_hash, hash)
        VALUES (:id, :company, :seq, :action, :actor_id, :entity_type, :entity_id, :occurred_at, :data, :prev_hash,
                :hash)
    )
    UPDATE tenants SET audit_seq = :seq, audit_head = :hash WHERE id = :company
    """
).bindparams(bindparam("data", type_=JSON_DOC))


class AuditRepository:
    def __init__(self, conn: Connection, company: uuid.UUID, *, appended: Callable[[], None] | None = None) -> None:
        """``appended``: told of each entry appended (the unit of work wakes the analytics ingester once it
        commits)."""
        self._conn = conn
        self._company = company
        self._appended = appended
        self._head: tuple[int, str] | None = None  # the chain's head this unit of work left, while it holds the lock

    def append(
        self,
        *,
        action: str,
        actor_id: uuid.UUID | None,
        entity_type: str,
        entity_id: uuid.UUID | str,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Appends an entry after the chain's head: the company's row locked (FOR NO KEY UPDATE: inserts naming
        the company go on) and read at this unit of work's first entry, then the entry and the new head written in
        one statement. Its later entries start from the head the one before left: the lock is held until the
        transaction ends, so nobody else can have moved it (outside a transaction, on a connection that commits
        each statement, the head is read again for each entry)."""
        head_seq, head_hash = self._head or self._locked_head()
        record = AuditRecord(
            seq=head_seq + 1,
            action=action,
            actor_id=str(actor_id) if actor_id else None,
            entity_type=entity_type,
            entity_id=str(entity_id),
            occurred_at=utc_now(),
            data=data or {},
        )
        digest = entry_hash(head_hash, record)
        if self._appended is not None:
            self._appended()
        self._conn.execute(
            _APPEND,
            {
                "id": uuid.uuid4(),
                "company": self._company,
                "seq": record.seq,
                "action": record.action,
                "actor_id": actor_id,
                "entity_type": record.entity_type,
                "entity_id": record.entity_id,
                "occurred_at": record.occurred_at,
                "data": record.data,
                "prev_hash": head_hash,
                "hash": digest,
            },
        )
        in_one_transaction = self._conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT"
        self._head = (record.seq, digest) if in_one_transaction else None  # else the lock ends with the statement

    def _locked_head(self) -> tuple[int, str]:
        head = self._conn.execute(
            select(tenants.c.audit_seq, tenants.c.audit_head)
            .where(tenants.c.id == self._company)
            .with_for_update(key_share=True)
        ).one()
        return head.audit_seq, head.audit_head

    def entries(self, *, after_seq: int, limit: int) -> list[AuditEntryRecord]:
        query = (
            select(audit_entries)
            .where(audit_entries.c.tenant_id == self._company, audit_entries.c.seq > after_seq)
            .order_by(audit_entries.c.seq)
            .limit(limit)
        )
        return records(self._conn.execute(query).mappings())
