"""Request and response bodies. Money travels as decimal strings, never floats."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from app.domain.roles import Role
from app.domain.sales import Stage

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200,
                                        pattern=r"^[^\x00-\x1f\x7f]+$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Amount = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2, examples=["1200.00"])]
Currency = Literal["EUR", "USD", "GBP"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class OwnerIn(Strict):
    email: EmailStr
    name: Name
    password: Annotated[str, StringConstraints(min_length=8, max_length=200)]


class TenantIn(Strict):
    name: Name
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    owner: OwnerIn


class TenantOut(Out):
    id: uuid.UUID
    name: str
    slug: str
    owner_id: uuid.UUID


class UserIn(Strict):
    email: EmailStr
    name: Name
    role: Role
    password: Annotated[str, StringConstraints(min_length=8, max_length=200)]
    commission_rate: Annotated[Decimal, Field(ge=0, le=1, max_digits=5, decimal_places=4)] | None = None


class UserOut(Out):
    id: uuid.UUID
    email: str
    name: str
    role: Role
    commission_rate: Decimal


class SignInIn(Strict):
    tenant: Annotated[str, StringConstraints(min_length=1, max_length=63)]
    email: Annotated[str, StringConstraints(min_length=1, max_length=254)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class TokenOut(Out):
    access_token: str
    token_type: str
    expires_in: int
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    role: Role


class LeadIn(Strict):
    company: Name
    contact_name: Name
    contact_email: EmailStr | None = None
    estimated_value: Amount
    currency: Currency = "EUR"


class DisqualifyIn(Strict):
    reason: Text


class ConvertIn(Strict):
    title: Name | None = None
    amount: Amount | None = None


class LeadOut(Out):
    id: uuid.UUID
    company: str
    contact_name: str
    contact_email: str | None
    estimated_value: Decimal
    currency: str
    status: str
    owner_id: uuid.UUID
    disqualify_reason: str | None
    opportunity_id: uuid.UUID | None = None
    created_at: datetime


class StageIn(Strict):
    stage: Stage


class LoseIn(Strict):
    reason: Text


class OpportunityOut(Out):
    id: uuid.UUID
    lead_id: uuid.UUID
    client_id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    amount: Decimal
    currency: str
    stage: Stage
    lost_reason: str | None
    closed_at: datetime | None
    project_id: uuid.UUID | None = None


class ClientOut(Out):
    id: uuid.UUID
    name: str
    created_at: datetime


class TaskOut(Out):
    id: uuid.UUID
    title: str
    status: str
    assignee_id: uuid.UUID | None


class ProjectOut(Out):
    id: uuid.UUID
    opportunity_id: uuid.UUID
    client_id: uuid.UUID
    name: str
    status: str
    tasks: list[TaskOut] = []


class LineIn(Strict):
    description: Text
    quantity: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=3)]
    unit_price: Amount
    tax_rate: Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class InvoiceIn(Strict):
    project_id: uuid.UUID
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=100)]


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


class AuditEntryOut(Out):
    seq: int
    action: str
    actor_id: uuid.UUID | None
    entity_type: str
    entity_id: str
    occurred_at: datetime
    data: dict
    prev_hash: str
    hash: str


class CurrencySummaryOut(Out):
    currency: str
    open_pipeline: Decimal
    won: Decimal
    invoiced: Decimal
    received: Decimal
    outstanding: Decimal


class SalesSummaryOut(Out):
    currencies: list[CurrencySummaryOut]
