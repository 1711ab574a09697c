"""Invoices: drafted from a project, issued, voided, read."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, cast

from app.adapters.unit_of_work import UnitOfWork, UnitOfWorkFactory
from app.domain import invoicing
from app.domain.audit import GENESIS_HASH, AuditRecord, first_broken_seq
from app.domain.clock import utc_now
from app.domain.errors import NotFound, Unauthenticated
from app.domain.pages import Page
from app.domain.records import AuditEntryRecord, CommissionRecord, InvoiceRecord, Kind, PaymentRecord
from app.domain.roles import Permission
from app.service_layer import approval_requests
from app.service_layer.principal import Principal


@dataclass(frozen=True, slots=True)
class LineInput:
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal


def locked_invoice(u: UnitOfWork, invoice_id: uuid.UUID) -> InvoiceRecord:
    invoice = u.billing.invoice(invoice_id, lock=True)
    if invoice is None:
        raise NotFound("invoice not found")
    return invoice


def draft_invoice(
    uow: UnitOfWorkFactory,
    principal: Principal,
    *,
    project_id: uuid.UUID,
    lines: list[LineInput],
    payment_terms_days: int,
) -> dict[str, Any]:
    """Drafts an invoice for a project in its deal's currency; totals follow the rounding rule."""
    principal.require(Permission.WRITE_BILLING)
    with uow(company=principal.company_id) as u:
        project = u.sales.get(Kind.PROJECTS, project_id)
        if project is None:
            raise NotFound("project not found", field="project_id")
        deal = u.sales.get(Kind.DEALS, project["opportunity_id"])
        assert deal is not None
        approval_requests.ensure_deal_approved(u, deal["id"])
        amounts = [invoicing.line_amounts(line.quantity, line.unit_price, line.tax_rate) for line in lines]
        totals = invoicing.invoice_totals(amounts)
        invoice = u.billing.add_invoice(
            project_id=project_id,
            client_id=project["client_id"],
            currency=deal["currency"],
            status=invoicing.InvoiceStatus.DRAFT.value,
            net=totals.net,
            tax=totals.tax,
            total=totals.total,
            amount_paid=Decimal("0.00"),
            payment_terms_days=payment_terms_days,
            lines=[
                {
                    "description": line.description,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "tax_rate": line.tax_rate,
                    "net": a.net,
                    "tax": a.tax,
                }
                for line, a in zip(lines, amounts, strict=False)
            ],
        )
        u.audit.append(
            action="invoice_drafted",
            actor_id=principal.user_id,
            entity_type="invoice",
            entity_id=invoice["id"],
            data={"total": f"{totals.total:.2f}"},
        )
        return _view(u, invoice)


def issue_invoice(uow: UnitOfWorkFactory, principal: Principal, invoice_id: uuid.UUID) -> dict[str, Any]:
    principal.require(Permission.WRITE_BILLING)
    with uow(company=principal.company_id) as u:
        invoice = locked_invoice(u, invoice_id)
        invoicing.ensure_can_issue(invoicing.InvoiceStatus(invoice["status"]), len(u.billing.lines(invoice_id)))
        issued_at = utc_now()
        changes = {
            "status": invoicing.InvoiceStatus.ISSUED.value,
            "issued_at": issued_at,
            "due_at": issued_at + timedelta(days=invoice["payment_terms_days"]),
        }
        u.billing.change_invoice(invoice_id, **changes)
        u.audit.append(
            action="invoice_issued",
            actor_id=principal.user_id,
            entity_type="invoice",
            entity_id=invoice_id,
            data={"total": f"{invoice['total']:.2f}"},
        )
        _mail_invoice(u, _changed(invoice, changes), by=principal.user_id)
        return _view(u, _changed(invoice, changes))


WITHDRAWN_WITH_THE_INVOICE = "the invoice was voided"


def void_invoice(uow: UnitOfWorkFactory, principal: Principal, invoice_id: uuid.UUID, *, reason: str) -> dict[str, Any]:
    principal.require(Permission.WRITE_BILLING)
    with uow(company=principal.company_id) as u:
        invoice = locked_invoice(u, invoice_id)
        invoicing.ensure_can_void(invoicing.InvoiceStatus(invoice["status"]), invoice["amount_paid"])
        changes = {"status": invoicing.InvoiceStatus.VOID.value, "voided_at": utc_now(), "void_reason": reason}
        u.billing.change_invoice(invoice_id, **changes)
        u.outbox.withdraw(invoice_id)  # its e-mail, if it still waits (the mail server away): a void one is not sent
        for held in u.approvals.withdraw_held_payments(invoice_id, WITHDRAWN_WITH_THE_INVOICE):
            u.audit.append(  # a payment held for approval on it is nobody's to decide any more
                action="approval_withdrawn",
                actor_id=principal.user_id,
                entity_type="approval",
                entity_id=held["id"],
                data={"reason": WITHDRAWN_WITH_THE_INVOICE},
            )
        u.audit.append(
            action="invoice_voided",
            actor_id=principal.user_id,
            entity_type="invoice",
            entity_id=invoice_id,
            data={"reason": reason},
        )
        return _view(u, _changed(invoice, changes))


def get_invoice(uow: UnitOfWorkFactory, principal: Principal, invoice_id: uuid.UUID) -> dict[str, Any]:
    principal.require(Permission.READ_BILLING)
    with uow(company=principal.company_id) as u:
        invoice = u.billing.invoice(invoice_id)
        if invoice is None:
            raise NotFound("invoice not found")
        return _view(u, invoice)


def list_invoices(uow: UnitOfWorkFactory, principal: Principal, page: Page | None = None) -> list[dict[str, Any]]:
    principal.require(Permission.READ_BILLING)
    with uow(company=principal.company_id) as u:
        return [_view(u, invoice) for invoice in u.billing.invoices(page or Page())]


def list_payments(uow: UnitOfWorkFactory, principal: Principal, invoice_id: uuid.UUID) -> list[PaymentRecord]:
    principal.require(Permission.READ_BILLING)
    with uow(company=principal.company_id) as u:
        if u.billing.invoice(invoice_id) is None:
            raise NotFound("invoice not found")
        return u.billing.payments(invoice_id)


def list_commissions(
    uow: UnitOfWorkFactory, principal: Principal, *, user_id: uuid.UUID | None, page: Page
) -> list[CommissionRecord]:
    principal.require(Permission.READ_COMMISSIONS)
    with uow(company=principal.company_id) as u:
        return u.billing.commissions(user_id=user_id, page=page)


def list_audit(uow: UnitOfWorkFactory, principal: Principal, *, after_seq: int, limit: int) -> list[AuditEntryRecord]:
    principal.require(Permission.READ_AUDIT)
    with uow(company=principal.company_id) as u:
        return u.audit.entries(after_seq=after_seq, limit=limit)


def _mail_invoice(u: UnitOfWork, invoice: InvoiceRecord, *, by: uuid.UUID) -> None:
    """Queues the invoice e-mail in the same transaction as the issue: issued means it will be sent, or its issuer
    ``by`` told it cannot be."""
    client = u.sales.get(Kind.CLIENTS, invoice["client_id"])
    if client is None or not client["contact_email"]:
        return
    u.outbox.enqueue(
        about=invoice["id"],
        by=by,
        to_address=client["contact_email"],
        subject=f"Invoice {str(invoice['id'])[:8]} for {client['name']}",
        body=(
            f"Dear {client['name']},\n\nplease find our invoice {invoice['id']}.\n"
            f"Total: {invoice['total']:,.2f} {invoice['currency']}\n"
            f"Due by: {invoice['due_at']:%Y-%m-%d}\n"
        ),
    )


VERIFIED_A_PAGE = 10_000  # entries read at a time: the memory a verification takes does not grow with the trail


def verify_audit(uow: UnitOfWorkFactory, principal: Principal) -> dict[str, Any]:
    """Recomputes the company's hash chain as it stood when asked, a page at a time whatever its length: intact,
    or the seq of the first entry that no longer links. The chain must end at the company's head (its seq and
    hash, read first), so newest entries removed are found too: the first one missing is named."""
    principal.require(Permission.READ_AUDIT)
    with uow(company=principal.company_id) as u:
        company = u.companies.by_id(principal.company_id)
        if company is None:  # removed since the caller's session was checked
            raise Unauthenticated("this company has been removed")
        head_seq, head_hash = company["audit_seq"], company["audit_head"]
        entries, last_seq, last_hash = 0, 0, GENESIS_HASH

        def chain() -> Iterator[tuple[AuditRecord, str, str]]:
            nonlocal entries, last_seq, last_hash
            after = 0
            while rows := u.audit.entries(after_seq=after, limit=VERIFIED_A_PAGE):
                for r in rows:
                    if r["seq"] > head_seq:  # written since the head was read: for the next verification
                        return
                    entries, last_seq, last_hash = entries + 1, r["seq"], r["hash"]
                    yield (
                        AuditRecord(
                            seq=r["seq"],
                            action=r["action"],
                            actor_id=str(r["actor_id"]) if r["actor_id"] else None,
                            entity_type=r["entity_type"],
                            entity_id=r["entity_id"],
                            occurred_at=r["occurred_at"],
                            data=r["data"],
                        ),
                        r["prev_hash"],
                        r["hash"],
                    )
                after = rows[-1]["seq"]

        walk = chain()
        broken = first_broken_seq(walk)
        for _ in walk:  # the rest counted, not checked: the first bad link is the one named
            pass
        if broken is None and (last_seq, last_hash) != (head_seq, head_hash):
            # the chain stops short of the company's head (its newest entries gone) or ends on another hash
            broken = last_seq if last_seq == head_seq else last_seq + 1
    return {"intact": broken is None, "entries": entries, "broken_at_seq": broken}


def _changed(invoice: InvoiceRecord, changes: dict[str, Any]) -> InvoiceRecord:
    """The invoice as a change leaves it (``changes`` names some of its columns)."""
    return cast(InvoiceRecord, {**invoice, **changes})


def _view(u: UnitOfWork, invoice: InvoiceRecord) -> dict[str, Any]:
    lines = u.billing.lines(invoice["id"])
    return {**invoice, "lines": lines, "amount_due": invoicing.residual(invoice["total"], invoice["amount_paid"])}
