"""Defects in what is told of a change: the audit trail's entry there, by the right person, about the wrong
record; the client's e-mail there, once, saying the wrong day; the day's activity adding up currencies; a refusal
that does not name what it could not find."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.adapters.audit_repository import AuditRepository
from app.adapters.reports_repository import ReportsRepository
from app.adapters.tables import leads
from app.domain.errors import NotFound
from app.service_layer import billing, customer_care
from support.defects.planting import replace


def project_opened_audited_under_its_deal() -> None:
    """A won deal's delivery project is audited as opened under the deal's id, not the project's."""
    original = AuditRepository.append

    def append(self: AuditRepository, *, action: str, data: dict[str, Any] | None = None, **entry: Any) -> None:
        if action == "project_opened" and data:
            entry["entity_id"] = data["opportunity_id"]
        original(self, action=action, data=data, **entry)

    replace(AuditRepository, "append", append)


def lead_qualified_audited_under_the_newest_lead() -> None:
    """A lead qualified is audited under the company's newest lead, whichever lead was qualified."""
    original = AuditRepository.append

    def append(self: AuditRepository, *, action: str, data: dict[str, Any] | None = None, **entry: Any) -> None:
        if action == "lead_qualified":
            newest = select(leads.c.id).where(leads.c.tenant_id == self._company)
            entry["entity_id"] = self._conn.execute(newest.order_by(leads.c.created_at.desc()).limit(1)).scalar()
        original(self, action=action, data=data, **entry)

    replace(AuditRepository, "append", append)


def invoice_mail_due_the_day_it_is_issued() -> None:
    """An invoice's e-mail says it is due the day it was issued, not the day it is due."""
    original = billing._mail_invoice

    def mail_invoice(u: Any, invoice: Any, *, by: Any) -> None:
        original(u, {**invoice, "due_at": invoice["issued_at"]}, by=by)

    replace(billing, "_mail_invoice", mail_invoice)


def activity_adds_up_every_currency() -> None:
    """A day's activity counts each kind of event once, whatever its currency: amounts of different currencies are
    added up under the first one's."""
    original = ReportsRepository.activity_on

    def activity_on(self: ReportsRepository, start: Any, end: Any | None) -> list[dict[str, Any]]:
        lines: dict[str, dict[str, Any]] = {}
        for line in original(self, start, end):
            kept = lines.setdefault(line["event"], {**line, "count": 0, "amount": 0})
            kept["count"] += line["count"]
            kept["amount"] += line["amount"]
        return list(lines.values())

    replace(ReportsRepository, "activity_on", activity_on)


def ticket_for_an_unknown_client_names_no_field() -> None:
    """A ticket asked for a client the company does not have is refused as not found, naming no field."""
    original = customer_care.open_ticket

    def open_ticket(uow: Any, principal: Any, *, client_id: Any, subject: str) -> Any:
        try:
            return original(uow, principal, client_id=client_id, subject=subject)
        except NotFound as refused:
            raise NotFound(str(refused)) from None

    replace(customer_care, "open_ticket", open_ticket)
