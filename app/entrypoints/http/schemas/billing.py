"""Invoices, payments, refunds and commissions."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    Field,
    StringConstraints,
)

from app.entrypoints.http.schemas.common import (
    NOT_A_BOOLEAN,
    Amount,
    Out,
    Percent,
    Quantity,
    Strict,
    Text,
)


class LineIn(Strict):
    description: Text
    quantity: Quantity
    unit_price: Amount
    tax_rate: Percent


class InvoiceIn(Strict):
    project_id: uuid.UUID
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=100)]
    payment_terms_days: Annotated[
        int, Field(ge=0, le=365, description="Days after issue the invoice is due."), NOT_A_BOOLEAN
    ] = 30


class VoidIn(Strict):
    reason: Text


class LineOut(Out):
    position: int
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    net: Decimal
    tax: Decimal


class InvoiceOut(Out):
    id: uuid.UUID
    project_id: uuid.UUID
    client_id: uuid.UUID
    currency: str
    status: str
    net: Decimal
    tax: Decimal
    total: Decimal
    amount_paid: Decimal
    amount_due: Decimal
    issued_at: datetime | None
    payment_terms_days: int
    due_at: datetime | None
    voided_at: datetime | None
    void_reason: str | None
    lines: list[LineOut]


class PaymentIn(Strict):
    amount: Amount
    card_token: Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_]+$")]


class PaymentOut(Out):
    id: uuid.UUID
    invoice_id: uuid.UUID
    amount: Decimal
    currency: str
    processor_charge_id: str
    received_at: datetime
    invoice_status: str | None = None
    amount_due: Decimal | None = None


class CommissionOut(Out):
    id: uuid.UUID
    user_id: uuid.UUID
    payment_id: uuid.UUID
    amount: Decimal
    currency: str
    rate: Decimal


class HeldPaymentOut(Out):
    status: Literal["held"]
    approval_id: uuid.UUID
    invoice_id: uuid.UUID
    amount: Decimal
    currency: str


class RefundIn(Strict):
    amount: Amount


class RefundOut(Out):
    id: uuid.UUID
    payment_id: uuid.UUID
    amount: Decimal
    currency: str
    processor_refund_id: str
    created_at: datetime
    invoice_status: str
    amount_due: Decimal
