"""Taking a card payment against an invoice, exactly once per idempotency key (``exactly_once``).

The invoice row is locked while the card is charged, so two payments can never
together exceed the total. The payment, the invoice's new status, the
commission, the audit entries and the stored response commit together; if
anything fails before that, the processor's own idempotency makes the retry
charge once.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.adapters.payment_gateway import CardProcessor
from app.adapters.unit_of_work import UnitOfWork, UnitOfWorkFactory
from app.domain import invoicing
from app.domain.commission import commission_on
from app.domain.errors import PaymentDeclined
from app.domain.records import InvoiceRecord, Kind, PaymentRecord
from app.domain.roles import Permission
from app.service_layer import approval_requests
from app.service_layer.billing import locked_invoice
from app.service_layer.exactly_once import as_json, run_once
from app.service_layer.principal import Principal


@dataclass(frozen=True, slots=True)
class PaymentResult:
    """What happened to one payment request: a recorded payment, or the processor's refusal."""

    payment: dict[str, Any] | None = None
    refusal: PaymentDeclined | None = None
    held: Mapping[str, Any] | None = None  # the approval a high-value payment waits for (a record, or as kept)

    def kept(self) -> dict[str, Any]:
        """As JSON data, to be stored with the Idempotency-Key."""
        refusal = self.refusal
        return {
            "payment": as_json(self.payment),
            "held": as_json(self.held),
            "refusal": {"message": refusal.message, "field": refusal.field} if refusal else None,
        }

    @classmethod
    def restored(cls, kept: dict[str, Any]) -> PaymentResult:
        refusal = kept["refusal"]
        return cls(
            payment=kept["payment"],
            held=kept["held"],
            refusal=PaymentDeclined(refusal["message"], field=refusal["field"]) if refusal else None,
        )


def take_payment(
    uow: UnitOfWorkFactory,
    gateway: CardProcessor,
    principal: Principal,
    *,
    invoice_id: uuid.UUID,
    amount: Decimal,
    card_token: str,
    idempotency_key: str,
) -> PaymentResult:
    """Charges the card and records the payment; a repeated request gets the first one's result.

    Raises:
        Conflict: the key is in use by a request still running, or was used with another body.
        RuleViolation / InvalidTransition / NotFound: nothing was charged; the key is free again.
        DependencyUnavailable: the processor did not answer; retry with the same key.
    """
    principal.require(Permission.TAKE_PAYMENTS)
    return run_once(
        uow,
        principal.company_id,
        idempotency_key,
        {"invoice": invoice_id, "amount": f"{amount:.2f}", "card": card_token},
        lambda u: charge_and_record(
            u, gateway, principal, invoice_id=invoice_id, amount=amount, card_token=card_token, key=idempotency_key
        ),
        keep=PaymentResult.kept,
        restore=PaymentResult.restored,
    )


def charge_and_record(
    u: UnitOfWork,
    gateway: CardProcessor,
    principal: Principal,
    *,
    invoice_id: uuid.UUID,
    amount: Decimal,
    card_token: str,
    key: str,
    may_hold: bool = True,
) -> PaymentResult:
    """Within ``u``'s transaction: validates against the locked invoice, holds a high-value payment for
    approval (unless ``may_hold`` is False: it was approved), or charges the card and records everything."""
    invoice = locked_invoice(u, invoice_id)
    status = invoicing.InvoiceStatus(invoice["status"])
    invoicing.ensure_can_accept_payment(status, invoice["total"], invoice["amount_paid"], amount)
    if may_hold and approval_requests.held_for_approval(u, amount, invoice["currency"]):
        held = approval_requests.request(
            u,
            principal,
            subject_type="payment",
            subject_id=uuid.uuid4(),
            amount=amount,
            currency=invoice["currency"],
            payload={"invoice_id": str(invoice_id), "card_token": card_token},
        )
        return PaymentResult(held=held)
    try:
        charge = gateway.charge(
            amount=amount,
            currency=invoice["currency"],
            card_token=card_token,
            idempotency_key=f"{principal.company_id}:{key}",
            description=f"invoice {invoice_id}",
        )
    except PaymentDeclined as refusal:
        u.audit.append(
            action="payment_declined",
            actor_id=principal.user_id,
            entity_type="invoice",
            entity_id=invoice_id,
            data={"amount": f"{amount:.2f}", "currency": invoice["currency"]},
        )
        return PaymentResult(refusal=refusal)
    payment = u.billing.add_payment(
        invoice_id=invoice_id,
        amount=amount,
        currency=invoice["currency"],
        processor_charge_id=charge.charge_id,
        idempotency_key=key,
        taken_by=principal.user_id,
    )
    paid = invoice["amount_paid"] + amount
    new_status = invoicing.status_after_payments(invoice["total"], paid)
    u.billing.change_invoice(invoice_id, amount_paid=paid, status=new_status.value)
    u.audit.append(
        action="payment_received",
        actor_id=principal.user_id,
        entity_type="payment",
        entity_id=payment["id"],
        data={"invoice_id": str(invoice_id), "amount": f"{amount:.2f}", "currency": invoice["currency"]},
    )
    _earn_commission(u, principal, invoice, payment)
    return PaymentResult(
        payment={
            **payment,
            "invoice_status": new_status.value,
            "amount_due": invoicing.residual(invoice["total"], paid),
        }
    )


def _earn_commission(u: UnitOfWork, principal: Principal, invoice: InvoiceRecord, payment: PaymentRecord) -> None:
    project = u.sales.get(Kind.PROJECTS, invoice["project_id"])
    deal = u.sales.get(Kind.DEALS, project["opportunity_id"]) if project else None
    rep = u.sales.get(Kind.USERS, deal["owner_id"]) if deal else None
    if rep is None or rep["commission_rate"] <= 0:
        return
    amount = commission_on(payment["amount"], rep["commission_rate"])
    commission = u.billing.add_commission(
        user_id=rep["id"],
        payment_id=payment["id"],
        amount=amount,
        currency=payment["currency"],
        rate=rep["commission_rate"],
    )
    u.audit.append(
        action="commission_earned",
        actor_id=principal.user_id,
        entity_type="commission",
        entity_id=commission["id"],
        data={"user_id": str(rep["id"]), "amount": f"{amount:.2f}", "currency": payment["currency"]},
    )
