"""The records the repositories hand the services, one per kind of row, named as the code names them.

Each is a row as the database keeps it (its keys are the table's columns, ``tenant_id`` included: the
database's name for the company a record belongs to); ``tests/app/test_records_match_tables.py`` fails
when a record and its table part. Kinds of business record kept one row per record are named as the
API names them (``Kind``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, NotRequired, TypedDict


class Kind(StrEnum):
    LEADS = "leads"
    CLIENTS = "clients"
    DEALS = "opportunities"
    PROJECTS = "projects"
    TASKS = "tasks"
    CAMPAIGNS = "campaigns"
    TICKETS = "tickets"
    USERS = "users"


class CompanyRecord(TypedDict):
    id: uuid.UUID
    name: str
    slug: str
    audit_seq: int
    audit_head: str
    created_at: datetime
    sessions_from: NotRequired[datetime | None]  # sessions begun before it are over (set by a restore)


class PersonRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    email: str
    name: str
    role: str
    password_hash: str
    commission_rate: Decimal
    created_at: datetime


class LeadRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    company: str
    contact_name: str
    contact_email: str | None
    estimated_value: Decimal
    currency: str
    status: str
    owner_id: uuid.UUID
    campaign_id: uuid.UUID | None
    disqualify_reason: str | None
    created_at: datetime


class ClientRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    contact_email: str | None
    created_at: datetime


class DealRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    lead_id: uuid.UUID
    client_id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    amount: Decimal
    currency: str
    stage: str
    lost_reason: str | None
    closed_at: datetime | None
    created_at: datetime


class ProjectRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    opportunity_id: uuid.UUID
    client_id: uuid.UUID
    name: str
    status: str
    created_at: datetime


class TaskRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    project_id: uuid.UUID
    title: str
    status: str
    assignee_id: uuid.UUID | None
    created_by: uuid.UUID | None
    written_via: str
    created_at: datetime


class CampaignRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    name: str
    budget: Decimal
    currency: str
    created_at: datetime


class TicketRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    client_id: uuid.UUID
    subject: str
    status: str
    answer: str | None
    opened_by: uuid.UUID
    closed_at: datetime | None
    created_at: datetime


class InvoiceRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    project_id: uuid.UUID
    client_id: uuid.UUID
    currency: str
    status: str
    net: Decimal
    tax: Decimal
    total: Decimal
    amount_paid: Decimal
    issued_at: datetime | None
    payment_terms_days: int
    due_at: datetime | None
    voided_at: datetime | None
    void_reason: str | None
    created_at: datetime


class InvoiceLineRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    invoice_id: uuid.UUID
    position: int
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    net: Decimal
    tax: Decimal


class PaymentRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    invoice_id: uuid.UUID
    amount: Decimal
    currency: str
    processor_charge_id: str
    idempotency_key: str
    taken_by: uuid.UUID
    received_at: datetime


class RefundRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    payment_id: uuid.UUID
    amount: Decimal
    currency: str
    processor_refund_id: str
    idempotency_key: str
    taken_by: uuid.UUID
    created_at: datetime


class CommissionRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    payment_id: uuid.UUID
    refund_id: uuid.UUID | None
    amount: Decimal
    currency: str
    rate: Decimal
    created_at: datetime


class ApprovalRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    subject_type: str
    subject_id: uuid.UUID
    amount: Decimal
    currency: str
    requested_by: uuid.UUID
    status: str
    decided_by: uuid.UUID | None
    reason: str | None
    payload: Any
    decided_at: datetime | None
    created_at: datetime


class NotificationRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    kind: str
    text: str
    subject_type: str
    subject_id: str
    read: bool
    created_at: datetime


class AuditEntryRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    seq: int
    action: str
    actor_id: uuid.UUID | None
    entity_type: str
    entity_id: str
    occurred_at: datetime
    data: Any
    prev_hash: str
    hash: str


class ThreadRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    title: str
    archived: bool
    created_at: datetime


class MessageRecord(TypedDict):
    id: uuid.UUID
    tenant_id: uuid.UUID
    thread_id: uuid.UUID
    role: str
    content: str
    run_id: str | None
    tool_results: Any
    created_at: datetime


class SettingsRecord(TypedDict):
    """A company's settings (its row of ``tenant_settings`` but the company's id), defaults until changed."""

    assistant_tool_timeout_ms: int
    assistant_runs_per_minute: int
    approval_threshold: Decimal | None
    approval_threshold_currency: str | None
