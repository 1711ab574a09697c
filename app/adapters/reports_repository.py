"""Aggregates over one company's sales and billing, computed in SQL with NUMERIC precision."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, Numeric, cast, func, select

from app.adapters.tables import (
    audit_entries,
    campaigns,
    clients,
    commissions,
    invoices,
    leads,
    opportunities,
    payments,
    projects,
    refunds,
)
from app.domain.money import net_by_currency, round_to_cent
from app.domain.sales import OPEN_STAGES, Stage

BILLED = ("issued", "partially_paid", "paid")


def holding(column: ColumnElement[str], text: str) -> ColumnElement[bool]:
    """``column`` holds ``text``, in any case, each of its characters matching itself: "100% Pure" and
    "Acme_Works" are found by their names (their wildcards were once taken out of the name, and found nothing)."""
    literal = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{literal}%", escape="\\")


class ReportsRepository:
    def __init__(self, conn: Connection, company: uuid.UUID) -> None:
        self._conn = conn
        self._company = company

    def sales_summary(self) -> dict[str, dict[str, Decimal]]:
        """Per currency: open pipeline, won, invoiced, received and outstanding amounts."""
        summary: dict[str, dict[str, Decimal]] = {}

        def add(currency: str, field: str, amount: Any) -> None:
            row = summary.setdefault(
                currency, {k: Decimal("0.00") for k in ("open_pipeline", "won", "invoiced", "received", "outstanding")}
            )
            row[field] += Decimal(amount or 0)

        deals = (
            select(opportunities.c.currency, opportunities.c.stage, func.sum(opportunities.c.amount))
            .where(opportunities.c.tenant_id == self._company)
            .group_by(opportunities.c.currency, opportunities.c.stage)
        )
        for currency, stage, amount in self._conn.execute(deals):
            if stage in {s.value for s in OPEN_STAGES}:
                add(currency, "open_pipeline", amount)
            elif stage == Stage.WON.value:
                add(currency, "won", amount)
        billed = (
            select(invoices.c.currency, func.sum(invoices.c.total), func.sum(invoices.c.amount_paid))
            .where(invoices.c.tenant_id == self._company, invoices.c.status.in_(BILLED))
            .group_by(invoices.c.currency)
        )
        for currency, total, paid in self._conn.execute(billed):
            add(currency, "invoiced", total)
            add(currency, "outstanding", Decimal(total) - Decimal(paid))
        received = (
            select(payments.c.currency, func.sum(payments.c.amount))
            .where(payments.c.tenant_id == self._company)
            .group_by(payments.c.currency)
        )
        for currency, amount in self._conn.execute(received):
            add(currency, "received", amount)
        return summary

    def open_pipeline(self) -> list[dict[str, Any]]:
        query = (
            select(opportunities.c.currency, func.count(), func.sum(opportunities.c.amount))
            .where(
                opportunities.c.tenant_id == self._company, opportunities.c.stage.in_([s.value for s in OPEN_STAGES])
            )
            .group_by(opportunities.c.currency)
            .order_by(opportunities.c.currency)
        )
        return [{"currency": c, "deals": n, "total": Decimal(t)} for c, n, t in self._conn.execute(query)]

    def overdue_invoices(self, now: Any, *, at_most: int) -> tuple[list[dict[str, Any]], int]:
        """The ``at_most`` invoices longest overdue at ``now`` (oldest due first), and how many are overdue in all:
        one statement, the count taken before the cut."""
        query = (
            select(
                invoices.c.id,
                clients.c.name,
                invoices.c.currency,
                invoices.c.total,
                invoices.c.amount_paid,
                invoices.c.due_at,
                func.count().over().label("overdue"),
            )
            .join(clients, clients.c.id == invoices.c.client_id)
            .where(
                invoices.c.tenant_id == self._company,
                invoices.c.status.in_(("issued", "partially_paid")),
                invoices.c.due_at < now,
            )
            .order_by(invoices.c.due_at, invoices.c.id)
            .limit(at_most)
        )
        found = self._conn.execute(query).all()
        listed = [
            {
                "invoice_id": str(i),
                "client": name,
                "currency": cur,
                "amount_due": Decimal(total) - Decimal(paid),
                "due_at": due.isoformat(),
            }
            for i, name, cur, total, paid, due, _ in found
        ]
        return listed, found[0].overdue if found else 0

    def revenue_by_month(self) -> list[dict[str, Any]]:
        month = func.to_char(func.date_trunc("month", payments.c.received_at), "YYYY-MM")
        query = (
            select(month, payments.c.currency, func.sum(payments.c.amount))
            .where(payments.c.tenant_id == self._company)
            .group_by(month, payments.c.currency)
            .order_by(month)
        )
        return [{"month": m, "currency": c, "received": Decimal(a)} for m, c, a in self._conn.execute(query)]

    def clients_named(self, name: str) -> list[dict[str, Any]]:
        query = (
            select(clients.c.id, clients.c.name)
            .where(clients.c.tenant_id == self._company, holding(clients.c.name, name))
            .order_by(clients.c.created_at, clients.c.id)
            .limit(10)
        )
        found = []
        for client_id, client_name in self._conn.execute(query):
            deals = self._conn.execute(
                select(func.count()).where(
                    opportunities.c.tenant_id == self._company, opportunities.c.client_id == client_id
                )
            ).scalar_one()
            billed = self._conn.execute(
                select(func.coalesce(func.sum(invoices.c.total), 0)).where(
                    invoices.c.tenant_id == self._company,
                    invoices.c.client_id == client_id,
                    invoices.c.status.in_(BILLED),
                )
            ).scalar_one()
            found.append(
                {"client_id": str(client_id), "name": client_name, "deals": deals, "invoiced": Decimal(billed)}
            )
        return found

    def revenue_and_costs(self, start: Any, end: Any) -> dict[str, dict[str, Decimal]]:
        """Per currency: net invoiced (issued in [start, end), not void) and commissions earned in it."""
        out: dict[str, dict[str, Decimal]] = {}
        billed = (
            select(invoices.c.currency, func.coalesce(func.sum(invoices.c.net), 0))
            .where(
                invoices.c.tenant_id == self._company,
                invoices.c.status.in_(BILLED),
                invoices.c.issued_at >= start,
                invoices.c.issued_at < end,
            )
            .group_by(invoices.c.currency)
        )
        for currency, net in self._conn.execute(billed):
            out.setdefault(currency, {"revenue": Decimal("0.00"), "costs": Decimal("0.00")})["revenue"] += Decimal(net)
        earned = (
            select(commissions.c.currency, func.coalesce(func.sum(commissions.c.amount), 0))
            .where(
                commissions.c.tenant_id == self._company,
                commissions.c.created_at >= start,
                commissions.c.created_at < end,
            )
            .group_by(commissions.c.currency)
        )
        for currency, amount in self._conn.execute(earned):
            out.setdefault(currency, {"revenue": Decimal("0.00"), "costs": Decimal("0.00")})["costs"] += Decimal(amount)
        return out

    def open_invoices(self) -> list[dict[str, Any]]:
        query = select(invoices.c.currency, invoices.c.total, invoices.c.amount_paid, invoices.c.due_at).where(
            invoices.c.tenant_id == self._company, invoices.c.status.in_(("issued", "partially_paid"))
        )
        return [
            {"currency": c, "due": Decimal(t) - Decimal(p), "due_at": d} for c, t, p, d in self._conn.execute(query)
        ]

    def open_deals(self) -> list[dict[str, Any]]:
        query = select(opportunities.c.currency, opportunities.c.amount, opportunities.c.stage).where(
            opportunities.c.tenant_id == self._company, opportunities.c.stage.in_([s.value for s in OPEN_STAGES])
        )
        return [{"currency": c, "amount": Decimal(a), "stage": s} for c, a, s in self._conn.execute(query)]

    def activity_on(self, start: Any, end: Any | None) -> list[dict[str, Any]]:
        """Business events of one company in [start, end) (None: to the calendar's end): count per action and
        currency, and the sum of their amounts (amounts of different currencies are never added up; an event that
        moves no money has none)."""
        amount = func.coalesce(func.sum(cast(audit_entries.c.data["amount"].as_string(), Numeric(14, 2))), 0)
        currency = audit_entries.c.data["currency"].as_string()
        query = select(audit_entries.c.action, currency, func.count(), amount).where(
            audit_entries.c.tenant_id == self._company, audit_entries.c.occurred_at >= start
        )
        if end is not None:
            query = query.where(audit_entries.c.occurred_at < end)
        query = query.group_by(audit_entries.c.action, currency).order_by(
            audit_entries.c.action, currency.nulls_first()
        )
        return [
            {"event": a, "currency": c, "count": n, "amount": Decimal(s)} for a, c, n, s in self._conn.execute(query)
        ]

    def campaign_returns(self) -> list[dict[str, Any]]:
        """Leads, won deals and money received (payments less refunds) attributed to each campaign."""
        rows = []
        for campaign in self._conn.execute(
            select(campaigns)
            .where(campaigns.c.tenant_id == self._company)
            .order_by(campaigns.c.created_at, campaigns.c.id)
        ).mappings():
            lead_ids = select(leads.c.id).where(
                leads.c.tenant_id == self._company, leads.c.campaign_id == campaign["id"]
            )
            won = select(opportunities.c.id).where(
                opportunities.c.tenant_id == self._company,
                opportunities.c.lead_id.in_(lead_ids),
                opportunities.c.stage == Stage.WON.value,
            )
            their_invoices = (
                select(invoices.c.id)
                .join(projects, projects.c.id == invoices.c.project_id)
                .where(invoices.c.tenant_id == self._company, projects.c.opportunity_id.in_(won))
            )
            received = self._conn.execute(
                select(payments.c.currency, func.sum(payments.c.amount))
                .where(payments.c.tenant_id == self._company, payments.c.invoice_id.in_(their_invoices))
                .group_by(payments.c.currency)
            ).all()
            refunded = self._conn.execute(
                select(payments.c.currency, func.sum(refunds.c.amount))
                .join(payments, payments.c.id == refunds.c.payment_id)
                .where(refunds.c.tenant_id == self._company, payments.c.invoice_id.in_(their_invoices))
                .group_by(payments.c.currency)
            ).all()
            net = net_by_currency(received, refunded)
            rows.append(
                {
                    "campaign_id": campaign["id"],
                    "name": campaign["name"],
                    "currency": campaign["currency"],
                    "budget": campaign["budget"],
                    "leads": self._conn.execute(select(func.count()).select_from(lead_ids.subquery())).scalar_one(),
                    "deals_won": self._conn.execute(select(func.count()).select_from(won.subquery())).scalar_one(),
                    "revenue": net.pop(campaign["currency"], round_to_cent(Decimal(0))),  # "0.00" when none came in
                    "revenue_in_other_currencies": [
                        {"currency": currency, "amount": amount} for currency, amount in sorted(net.items()) if amount
                    ],
                }
            )
        return rows
