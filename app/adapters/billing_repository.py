"""Invoices, their lines, payments and commissions."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from app.adapters.paging import in_making_order
from app.adapters.rows import record, records
from app.adapters.tables import commissions, invoice_lines, invoices, payments, refunds
from app.domain.clock import utc_now
from app.domain.pages import Page
from app.domain.records import CommissionRecord, InvoiceLineRecord, InvoiceRecord, PaymentRecord, RefundRecord


class BillingRepository:
    def __init__(self, conn: Connection, company: uuid.UUID) -> None:
        self._conn = conn
        self._company = company

    def add_invoice(self, *, lines: list[dict[str, Any]], **fields: Any) -> InvoiceRecord:
        invoice = {"id": uuid.uuid4(), "tenant_id": self._company, "created_at": utc_now(), **fields}
        made: InvoiceRecord = record(
            self._conn.execute(insert(invoices).values(**invoice).returning(*invoices.c)).mappings().one()
        )
        line_rows = [
            {"id": uuid.uuid4(), "tenant_id": self._company, "invoice_id": made["id"], "position": n, **line}
            for n, line in enumerate(lines, start=1)
        ]
        if line_rows:
            self._conn.execute(insert(invoice_lines), line_rows)
        return made

    def invoice(self, invoice_id: uuid.UUID, *, lock: bool = False) -> InvoiceRecord | None:
        query = select(invoices).where(invoices.c.tenant_id == self._company, invoices.c.id == invoice_id)
        if lock:
            query = query.with_for_update()
        row = self._conn.execute(query).mappings().first()
        return record(row) if row else None

    def invoices(self, page: Page) -> list[InvoiceRecord]:
        statement, values = in_making_order(invoices, self._company, page=page)
        return records(self._conn.execute(statement, values).mappings())

    def lines(self, invoice_id: uuid.UUID) -> list[InvoiceLineRecord]:
        query = (
            select(invoice_lines)
            .where(invoice_lines.c.tenant_id == self._company, invoice_lines.c.invoice_id == invoice_id)
            .order_by(invoice_lines.c.position)
        )
        return records(self._conn.execute(query).mappings())

    def change_invoice(self, invoice_id: uuid.UUID, **fields: Any) -> None:
        self._conn.execute(
            update(invoices).where(invoices.c.tenant_id == self._company, invoices.c.id == invoice_id).values(**fields)
        )

    def add_payment(self, **fields: Any) -> PaymentRecord:
        row = {"id": uuid.uuid4(), "tenant_id": self._company, "received_at": utc_now(), **fields}
        return record(self._conn.execute(insert(payments).values(**row).returning(*payments.c)).mappings().one())

    def payments(self, invoice_id: uuid.UUID) -> list[PaymentRecord]:
        query = (
            select(payments)
            .where(payments.c.tenant_id == self._company, payments.c.invoice_id == invoice_id)
            .order_by(payments.c.received_at, payments.c.id)
        )
        return records(self._conn.execute(query).mappings())

    def add_commission(self, **fields: Any) -> CommissionRecord:
        row = {"id": uuid.uuid4(), "tenant_id": self._company, "created_at": utc_now(), **fields}
        return record(self._conn.execute(insert(commissions).values(**row).returning(*commissions.c)).mappings().one())

    def commissions(self, *, user_id: uuid.UUID | None, page: Page) -> list[CommissionRecord]:
        filters = {"user_id": user_id} if user_id is not None else None
        statement, values = in_making_order(commissions, self._company, filters, page)
        return records(self._conn.execute(statement, values).mappings())

    def payment(self, payment_id: uuid.UUID) -> PaymentRecord | None:
        row = (
            self._conn.execute(
                select(payments).where(payments.c.tenant_id == self._company, payments.c.id == payment_id)
            )
            .mappings()
            .first()
        )
        return record(row) if row else None

    def refunded(self, payment_id: uuid.UUID) -> Decimal:
        total = self._conn.execute(
            select(func.coalesce(func.sum(refunds.c.amount), 0)).where(
                refunds.c.tenant_id == self._company, refunds.c.payment_id == payment_id
            )
        ).scalar_one()
        return Decimal(total)

    def add_refund(self, **fields: Any) -> RefundRecord:
        row = {"id": uuid.uuid4(), "tenant_id": self._company, "created_at": utc_now(), **fields}
        return record(self._conn.execute(insert(refunds).values(**row).returning(*refunds.c)).mappings().one())

    def commission_for_payment(self, payment_id: uuid.UUID) -> CommissionRecord | None:
        row = (
            self._conn.execute(
                select(commissions).where(
                    commissions.c.tenant_id == self._company,
                    commissions.c.payment_id == payment_id,
                    commissions.c.refund_id.is_(None),
                )
            )
            .mappings()
            .first()
        )
        return record(row) if row else None
