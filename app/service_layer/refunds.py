"""Refunding (part of) a payment: the invoice owes that much again and the commission on it is reversed."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from app.adapters.payment_gateway import CardProcessor
from app.adapters.unit_of_work import UnitOfWork, UnitOfWorkFactory
from app.domain import invoicing
from app.domain.commission import commission_on
from app.domain.errors import NotFound
from app.domain.roles import Permission
from app.service_layer.billing import locked_invoice
from app.service_layer.exactly_once import as_json, run_once
from app.service_layer.principal import Principal


def refund_payment(
    uow: UnitOfWorkFactory,
    gateway: CardProcessor,
    principal: Principal,
    *,
    payment_id: uuid.UUID,
    amount: Decimal,
    idempotency_key: str,
) -> dict[str, Any]:
    """Refunds once per Idempotency-Key; the refund, the invoice, the commission and the audit commit together.

    Raises:
        NotFound: no such payment in the caller's company.
        RuleViolation refund_exceeds_payment: more than the payment has left to refund (nothing refunded).
    """
    principal.require(Permission.TAKE_PAYMENTS)
    return run_once(
        uow,
        principal.company_id,
        idempotency_key,
        {"refund_of": payment_id, "amount": f"{amount:.2f}"},
        lambda u: _refund(u, gateway, principal, payment_id, amount, idempotency_key),
        keep=as_json,
        restore=dict,
    )


def _refund(
    u: UnitOfWork, gateway: CardProcessor, principal: Principal, payment_id: uuid.UUID, amount: Decimal, key: str
) -> dict[str, Any]:
    payment = u.billing.payment(payment_id)
    if payment is None:
        raise NotFound("payment not found")
    invoice = locked_invoice(u, payment["invoice_id"])  # serialises refunds and payments of the invoice
    invoicing.ensure_can_refund(payment["amount"], u.billing.refunded(payment_id), amount)
    refund_id = gateway.refund(
        charge_id=payment["processor_charge_id"], amount=amount, idempotency_key=f"{principal.company_id}:refund:{key}"
    )
    refund = u.billing.add_refund(
        payment_id=payment_id,
        amount=amount,
        currency=payment["currency"],
        processor_refund_id=refund_id,
        idempotency_key=key,
        taken_by=principal.user_id,
    )
    paid = invoice["amount_paid"] - amount
    status = invoicing.status_after_payments(invoice["total"], paid)
    u.billing.change_invoice(invoice["id"], amount_paid=paid, status=status.value)
    u.audit.append(
        action="refund_issued",
        actor_id=principal.user_id,
        entity_type="refund",
        entity_id=refund["id"],
        data={"payment_id": str(payment_id), "amount": f"{amount:.2f}", "currency": payment["currency"]},
    )
    earned = u.billing.commission_for_payment(payment_id)
    if earned is not None:
        reversal = -commission_on(amount, earned["rate"])
        row = u.billing.add_commission(
            user_id=earned["user_id"],
            payment_id=payment_id,
            refund_id=refund["id"],
            amount=reversal,
            currency=earned["currency"],
            rate=earned["rate"],
        )
        u.audit.append(
            action="commission_reversed",
            actor_id=principal.user_id,
            entity_type="commission",
            entity_id=row["id"],
            data={"user_id": str(earned["user_id"]), "amount": f"{reversal:.2f}", "currency": earned["currency"]},
        )
    return {**refund, "invoice_status": status.value, "amount_due": invoicing.residual(invoice["total"], paid)}
