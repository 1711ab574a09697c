"""Request and response bodies. Money travels as decimal strings, never floats."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)

from app.domain.roles import Role
from app.domain.sales import Stage

# Text the database can store and a person can read: no control characters, no lone UTF-16
# surrogates (checked apart: they cannot be written in a portable pattern), and names neither start nor end with a space. Character classes are spelled out
# (no \s) so the pattern means the same to the platform (Python re) and to clients (ECMA regex).
_VISIBLE = r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]"
_IN_LINE = r"[^\x00-\x1f\x7f-\x9f]"
_IN_TEXT = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_NO_SPACE = r"[^@\x00-\x20\x7f-\xa0]"


def _whole_characters(text: str) -> str:
    """Rejects lone UTF-16 surrogates, which no database text column can store."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise ValueError("contains an incomplete character (a lone surrogate)")
    return text


Checked = AfterValidator(_whole_characters)
Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=f"^{_VISIBLE}({_IN_LINE}*{_VISIBLE})?$"),
    Field(examples=["Globex"]),
    Checked,
]
Text = Annotated[
    str,
    StringConstraints(min_length=1, max_length=1000, pattern=f"^{_VISIBLE}({_IN_TEXT}*{_VISIBLE})?$"),
    Field(examples=["No budget this year"]),
    Checked,
]
# Deliverability is not checked; the shape is, with the pattern the OpenAPI document shows.
EmailAddress = Annotated[
    str,
    StringConstraints(max_length=254, pattern=f"^{_NO_SPACE}+@{_NO_SPACE}+\\.{_NO_SPACE}+$"),
    Field(examples=["ana@example.com"]),
    Checked,
]
Password = Annotated[
    str,
    StringConstraints(min_length=8, max_length=200, pattern=r"^[^\x00]+$"),
    Field(examples=["correct-horse-battery"]),
    Checked,
]
Currency = Literal["EUR", "USD", "GBP"]


def _not_a_boolean(value: object) -> object:
    """JSON true/false are not numbers here (pydantic would read them as 1 and 0)."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number, not true or false")
    return value


def _iso_date_text(value: object) -> object:
    """Only YYYY-MM-DD text is a date here (pydantic would also read 0 as 1970-01-01)."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise ValueError("must be a date written YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]
Month = Annotated[
    str,
    StringConstraints(pattern=r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"),  # 1900-01 to 2999-12
    Field(examples=["2026-11"]),
]


# A whole number is ``Annotated[int, Field(ge=..., le=...), NOT_A_BOOLEAN]``: the constraints come before
# the validator, or the OpenAPI document loses them.
NOT_A_BOOLEAN = BeforeValidator(_not_a_boolean)


def decimal_text(pattern: str, meaning: str, example: str) -> tuple[PlainValidator, WithJsonSchema]:
    """A decimal sent as a JSON string matching ``pattern``; parsed to Decimal, never through a float.

    The pattern is the whole rule (range and places), so the OpenAPI document states exactly what
    is accepted.
    """
    import re

    compiled = re.compile(pattern)

    def parse(value: object) -> Decimal:
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise ValueError(f'must be {meaning}, written as a string like "{example}"')
        return Decimal(value)

    return PlainValidator(parse), WithJsonSchema(
        {"type": "string", "pattern": pattern, "description": meaning, "examples": [example]}, mode="validation"
    )


# Above zero, at most 10 digits before the point and 2 after.
_amount = decimal_text(
    r"^(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,9}(\.[0-9]{1,2})?)$",
    "an amount above zero with at most two decimals",
    "1200.00",
)
_quantity = decimal_text(
    r"^(0\.(00[1-9]|0[1-9][0-9]?|[1-9][0-9]{0,2})|[1-9][0-9]{0,8}(\.[0-9]{1,3})?)$",
    "a quantity above zero with at most three decimals",
    "1.5",
)
_percent = decimal_text(
    r"^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)$", "a percentage from 0 to 100 with at most two decimals", "21"
)
_rate = decimal_text(r"^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$", "a rate from 0 to 1 with at most four decimals", "0.10")
Amount = Annotated[Decimal, _amount[0], _amount[1]]
Quantity = Annotated[Decimal, _quantity[0], _quantity[1]]
Percent = Annotated[Decimal, _percent[0], _percent[1]]
Rate = Annotated[Decimal, _rate[0], _rate[1]]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", regex_engine="python-re")


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class OwnerIn(Strict):
    email: EmailAddress
    name: Name
    password: Password


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
    email: EmailAddress
    name: Name
    role: Role
    password: Password
    commission_rate: Rate | None = None


class UserOut(Out):
    id: uuid.UUID
    email: str
    name: str
    role: Role
    commission_rate: Decimal


class SignInIn(Strict):
    tenant: Annotated[str, StringConstraints(min_length=1, max_length=63, pattern=r"^[a-z0-9-]+$")]
    email: EmailAddress
    password: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00]+$"), Checked]


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
    contact_email: EmailAddress | None = None
    estimated_value: Amount
    currency: Currency = "EUR"
    campaign_id: uuid.UUID | None = None


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
    campaign_id: uuid.UUID | None = None
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


class SettingsIn(Strict):
    assistant_tool_timeout_ms: Annotated[int, Field(ge=1, le=60_000), NOT_A_BOOLEAN] | None = None
    assistant_runs_per_minute: Annotated[int, Field(ge=1, le=10_000), NOT_A_BOOLEAN] | None = None
    approval_threshold: Amount | None = None


class SettingsOut(Out):
    assistant_tool_timeout_ms: int
    assistant_runs_per_minute: int
    approval_threshold: Decimal | None


class DecisionIn(Strict):
    reason: Text | None = None


class RejectionIn(Strict):
    reason: Text


class ApprovalOut(Out):
    id: uuid.UUID
    subject_type: str
    subject_id: uuid.UUID
    amount: Decimal
    currency: str
    requested_by: uuid.UUID
    status: str
    decided_by: uuid.UUID | None
    reason: str | None
    created_at: datetime
    payment_id: uuid.UUID | None = None
    payment_declined: bool | None = None


class HeldPaymentOut(Out):
    status: Literal["held"]
    approval_id: uuid.UUID
    invoice_id: uuid.UUID
    amount: Decimal
    currency: str


class MessageOut(Out):
    role: str
    content: str
    run_id: str | None
    created_at: datetime


class ThreadOut(Out):
    id: uuid.UUID
    title: str
    archived: bool
    created_at: datetime


class ThreadWithMessagesOut(ThreadOut):
    messages: list[MessageOut]


class AuditVerificationOut(Out):
    intact: bool
    entries: int
    broken_at_seq: int | None


class ProfitAndLossLine(Out):
    currency: str
    revenue: Decimal
    cost_of_sales: Decimal
    gross_profit: Decimal


class ProfitAndLossOut(Out):
    month: str
    months: int
    currencies: list[ProfitAndLossLine]


class AgeingLine(Out):
    currency: str
    current: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    days_90_plus: Decimal


class AgeingOut(Out):
    as_of: date
    currencies: list[AgeingLine]


class ForecastLine(Out):
    currency: str
    open: Decimal
    weighted: Decimal


class ForecastOut(Out):
    currencies: list[ForecastLine]


class RevenueMonth(Out):
    month: str
    currency: str
    received: Decimal


class CacheStatsOut(Out):
    computations: int | None


class ActivityLine(Out):
    event: str
    count: int
    amount: Decimal


class ActivityOut(Out):
    day: date
    events: list[ActivityLine]


class NotificationOut(Out):
    id: uuid.UUID
    kind: str
    text: str
    subject_type: str
    subject_id: str
    read: bool
    created_at: datetime


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


class CampaignIn(Strict):
    name: Name
    budget: Amount
    currency: Currency = "EUR"


class CampaignOut(Out):
    id: uuid.UUID
    name: str
    budget: Decimal
    currency: str
    created_at: datetime


class CampaignReturnOut(Out):
    campaign_id: uuid.UUID
    name: str
    currency: str
    budget: Decimal
    leads: int
    deals_won: int
    revenue: Decimal
    return_: Decimal = Field(alias="return")


class TicketIn(Strict):
    client_id: uuid.UUID
    subject: Name


class AnswerIn(Strict):
    answer: Text


class TicketOut(Out):
    id: uuid.UUID
    client_id: uuid.UUID
    subject: str
    status: str
    answer: str | None
    created_at: datetime
    closed_at: datetime | None
