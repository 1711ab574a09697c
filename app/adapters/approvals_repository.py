"""Requests for approval of high-value transactions."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.adapters.paging import in_making_order
from app.adapters.rows import record, records
from app.adapters.tables import approvals
from app.domain.clock import utc_now
from app.domain.pages import Page
from app.domain.records import ApprovalRecord


class ApprovalsRepository:
    def __init__(self, conn: Connection, company: uuid.UUID) -> None:
        self._conn = conn
        self._company = company

    def add(self, **fields: Any) -> ApprovalRecord:
        row = {"id": uuid.uuid4(), "tenant_id": self._company, "status": "pending", "created_at": utc_now(), **fields}
        return record(self._conn.execute(insert(approvals).values(**row).returning(*approvals.c)).mappings().one())

    def held(self, approval_id: uuid.UUID) -> ApprovalRecord | None:
        """The approval, held until the transaction ends: a second decision waits for this one's, then finds it
        decided (reading it never waits)."""
        query = select(approvals).where(approvals.c.tenant_id == self._company, approvals.c.id == approval_id)
        row = self._conn.execute(query.with_for_update()).mappings().first()
        return record(row) if row else None

    def latest_for(self, subject_id: uuid.UUID) -> ApprovalRecord | None:
        query = (
            select(approvals)
            .where(approvals.c.tenant_id == self._company, approvals.c.subject_id == subject_id)
            .order_by(approvals.c.created_at.desc(), approvals.c.id.desc())
            .limit(1)
        )
        row = self._conn.execute(query).mappings().first()
        return record(row) if row else None

    def listed(self, *, status: str | None, page: Page) -> list[ApprovalRecord]:
        statement, values = in_making_order(approvals, self._company, {"status": status} if status else None, page)
        return records(self._conn.execute(statement, values).mappings())

    def withdraw_held_payments(self, invoice_id: uuid.UUID, reason: str) -> list[ApprovalRecord]:
        """The pending approvals of payments held on the invoice, withdrawn with ``reason``; each as it is now."""
        statement = (
            update(approvals)
            .where(
                approvals.c.tenant_id == self._company,
                approvals.c.subject_type == "payment",
                approvals.c.status == "pending",
                approvals.c.payload["invoice_id"].as_string() == str(invoice_id),
            )
            .values(status="withdrawn", reason=reason, decided_at=utc_now())
            .returning(*approvals.c)
        )
        return records(self._conn.execute(statement).mappings())

    def decide(self, approval_id: uuid.UUID, **fields: Any) -> ApprovalRecord:
        """The decision stored, with when it was taken; the approval as it is now."""
        statement = (
            update(approvals)
            .where(approvals.c.tenant_id == self._company, approvals.c.id == approval_id)
            .values(decided_at=utc_now(), **fields)
            .returning(*approvals.c)
        )
        return record(self._conn.execute(statement).mappings().one())
