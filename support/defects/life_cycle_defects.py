"""Defects in life cycles: a record takes an action its state forbids."""

from __future__ import annotations

from typing import Any

from app.domain import invoicing, sales, tickets
from app.domain.errors import Forbidden, InvalidTransition
from app.service_layer import approvals
from support.defects.planting import replace


def invoice_voided_after_payment() -> None:
    """A partially paid invoice can be voided: the money received is forgotten."""

    def ensure_can_void(status: invoicing.InvoiceStatus, paid: Any) -> None:
        if status in (invoicing.InvoiceStatus.VOID, invoicing.InvoiceStatus.PAID):
            raise InvalidTransition(f"a {status} invoice cannot be voided")

    replace(invoicing, "ensure_can_void", ensure_can_void)


def approval_decided_twice() -> None:
    """An approved or rejected request can be decided again: the last decision wins."""

    def ensure_can_decide(status: Any, requested_by: object, decided_by: object) -> None:
        if decided_by == requested_by:
            raise Forbidden("nobody may approve or reject their own request")

    replace(approvals, "ensure_can_decide", ensure_can_decide)


def closed_ticket_reopened_by_an_answer() -> None:
    """A closed ticket takes another answer."""
    replace(tickets, "ensure_can_answer", lambda status: None)


def disqualified_lead_qualified() -> None:
    """A disqualified lead can be qualified again."""

    def ensure_can_qualify(status: sales.LeadStatus) -> None:
        if status not in (sales.LeadStatus.NEW, sales.LeadStatus.DISQUALIFIED):
            raise InvalidTransition(f"only a new lead can be qualified; this one is {status}")

    replace(sales, "ensure_can_qualify", ensure_can_qualify)
