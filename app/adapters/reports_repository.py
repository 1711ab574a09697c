"""Aggregates over one tenant's sales and billing, computed in SQL with NUMERIC precision."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select

from app.adapters.tables import invoices, opportunities, payments
from app.domain.sales import OPEN_STAGES, Stage

BILLED = ("issued", "partially_paid", "paid")


class ReportsRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def sales_summary(self, tenant_id: uuid.UUID) -> dict[str, dict[str, Decimal]]:
        """Per currency: open pipeline, won, invoiced, received and outstanding amounts."""
        summary: dict[str, dict[str, Decimal]] = {}

        def add(currency: str, field: str, amount: Any) -> None:
            row = summary.setdefault(currency, {k: Decimal("0.00") for k in
                                                ("open_pipeline", "won", "invoiced", "received", "outstanding")})
            row[field] += Decimal(amount or 0)

        deals = (select(opportunities.c.currency, opportunities.c.stage, func.sum(opportunities.c.amount))
                 .where(opportunities.c.tenant_id == tenant_id)
                 .group_by(opportunities.c.currency, opportunities.c.stage))
        for currency, stage, amount in self._conn.execute(deals):
            if stage in {s.value for s in OPEN_STAGES}:
                add(currency, "open_pipeline", amount)
            elif stage == Stage.WON.value:
                add(currency, "won", amount)
        billed = (select(invoices.c.currency, func.sum(invoices.c.total), func.sum(invoices.c.amount_paid))
                  .where(invoices.c.tenant_id == tenant_id, invoices.c.status.in_(BILLED))
                  .group_by(invoices.c.currency))
        for currency, total, paid in self._conn.execute(billed):
            add(currency, "invoiced", total)
            add(currency, "outstanding", Decimal(total) - Decimal(paid))
        received = (select(payments.c.currency, func.sum(payments.c.amount))
                    .where(payments.c.tenant_id == tenant_id).group_by(payments.c.currency))
        for currency, amount in self._conn.execute(received):
            add(currency, "received", amount)
        return summary
