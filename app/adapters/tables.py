"""The schema, as SQLAlchemy Core tables. Alembic migrations are generated from it.

Money columns are NUMERIC(14, 2); rates are NUMERIC with their own scale.
Every business table carries ``tenant_id`` and every lookup filters on it.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

MONEY = Numeric(14, 2)
JSON_DOC = JSON().with_variant(JSONB(), "postgresql")


def _id() -> Column:
    return Column("id", Uuid, primary_key=True)  # every insert gives its id: one left out fails, never made up


def _company_column() -> Column:
    return Column("tenant_id", Uuid, ForeignKey("tenants.id"), nullable=False, index=True)


def _created() -> Column:
    return Column("created_at", DateTime(timezone=True), nullable=False)


tenants = Table(
    "tenants",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("slug", String(63), nullable=False, unique=True),
    Column("audit_seq", Integer, nullable=False),  # every insert of a company gives it (0, or a backup's)
    Column("audit_head", String(64), nullable=False),
    _created(),
    # sessions begun before this moment are over (a restore sets it: migration 0015)
    Column("sessions_from", DateTime(timezone=True), nullable=True),
)

users = Table(
    "users",
    metadata,
    _id(),
    _company_column(),
    Column("email", String(254), nullable=False),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("commission_rate", Numeric(5, 4), nullable=False),
    _created(),
    UniqueConstraint("tenant_id", "email", name="uq_users_tenant_email"),
)

clients = Table(
    "clients",
    metadata,
    _id(),
    _company_column(),
    Column("name", String(200), nullable=False),
    _created(),
    Column("contact_email", String(254)),
)

leads = Table(
    "leads",
    metadata,
    _id(),
    _company_column(),
    Column("company", String(200), nullable=False),
    Column("contact_name", String(200), nullable=False),
    Column("contact_email", String(254)),
    Column("estimated_value", MONEY, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False),
    Column("owner_id", Uuid, ForeignKey("users.id"), nullable=False),
    Column("disqualify_reason", Text),
    _created(),
    Column("campaign_id", Uuid, ForeignKey("campaigns.id"), index=True),
)

opportunities = Table(
    "opportunities",
    metadata,
    _id(),
    _company_column(),
    Column("lead_id", Uuid, ForeignKey("leads.id"), nullable=False, unique=True),
    Column("client_id", Uuid, ForeignKey("clients.id"), nullable=False),
    Column("owner_id", Uuid, ForeignKey("users.id"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("stage", String(20), nullable=False),
    Column("lost_reason", Text),
    Column("closed_at", DateTime(timezone=True)),
    _created(),
)

projects = Table(
    "projects",
    metadata,
    _id(),
    _company_column(),
    Column("opportunity_id", Uuid, ForeignKey("opportunities.id"), nullable=False, unique=True),
    Column("client_id", Uuid, ForeignKey("clients.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    _created(),
)

tasks = Table(
    "tasks",
    metadata,
    _id(),
    _company_column(),
    Column("project_id", Uuid, ForeignKey("projects.id"), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("assignee_id", Uuid, ForeignKey("users.id")),
    _created(),
    Column("created_by", Uuid, ForeignKey("users.id")),  # who asked for it (none: the platform's own kick-off)
    Column("written_via", String(20), nullable=False, server_default="platform"),  # platform or assistant
)

invoices = Table(
    "invoices",
    metadata,
    _id(),
    _company_column(),
    Column("project_id", Uuid, ForeignKey("projects.id"), nullable=False, index=True),
    Column("client_id", Uuid, ForeignKey("clients.id"), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False),
    Column("net", MONEY, nullable=False),
    Column("tax", MONEY, nullable=False),
    Column("total", MONEY, nullable=False),
    Column("amount_paid", MONEY, nullable=False),
    Column("issued_at", DateTime(timezone=True)),
    Column("voided_at", DateTime(timezone=True)),
    Column("void_reason", Text),
    _created(),
    Column("payment_terms_days", Integer, nullable=False, server_default="30"),
    Column("due_at", DateTime(timezone=True)),
)

invoice_lines = Table(
    "invoice_lines",
    metadata,
    _id(),
    _company_column(),
    Column("invoice_id", Uuid, ForeignKey("invoices.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("description", String(500), nullable=False),
    Column("quantity", Numeric(12, 3), nullable=False),
    Column("unit_price", MONEY, nullable=False),
    Column("tax_rate", Numeric(5, 2), nullable=False),
    Column("net", MONEY, nullable=False),
    Column("tax", MONEY, nullable=False),
    UniqueConstraint("invoice_id", "position", name="uq_invoice_lines_position"),
)

payments = Table(
    "payments",
    metadata,
    _id(),
    _company_column(),
    Column("invoice_id", Uuid, ForeignKey("invoices.id"), nullable=False, index=True),
    Column("amount", MONEY, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("processor_charge_id", String(100), nullable=False, unique=True),
    Column("idempotency_key", String(255), nullable=False),
    Column("taken_by", Uuid, ForeignKey("users.id"), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

commissions = Table(
    "commissions",
    metadata,
    _id(),
    _company_column(),
    Column("user_id", Uuid, ForeignKey("users.id"), nullable=False, index=True),
    Column("payment_id", Uuid, ForeignKey("payments.id"), nullable=False, index=True),
    Column("amount", MONEY, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("rate", Numeric(5, 4), nullable=False),
    _created(),
    Column("refund_id", Uuid, ForeignKey("refunds.id")),  # set on a reversal: the refund that took it back
    UniqueConstraint("refund_id", name="uq_commissions_refund_id"),  # one reversal per refund, as migration 0006
)

audit_entries = Table(
    "audit_entries",
    metadata,
    _id(),
    _company_column(),
    Column("seq", Integer, nullable=False),
    Column("action", String(50), nullable=False),
    Column("actor_id", Uuid),
    Column("entity_type", String(30), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("data", JSON_DOC, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("tenant_id", "seq", name="uq_audit_tenant_seq"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("tenant_id", Uuid, ForeignKey("tenants.id"), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(20), nullable=False),
    Column("result", JSON_DOC),
    _created(),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

# the companies removed or restored: the analytics ingester forgets their events in the store, then copies their
# trail again from its first entry, then takes the name off
analytics_recopy = Table(
    "analytics_recopy",
    metadata,
    Column("company_id", Uuid, primary_key=True),
    Column("asked_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
)

revoked_tokens = Table(
    "revoked_tokens",
    metadata,
    Column("token_id", String(64), primary_key=True),
    Column("tenant_id", Uuid, ForeignKey("tenants.id"), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

tenant_settings = Table(
    "tenant_settings",
    metadata,
    Column("tenant_id", Uuid, ForeignKey("tenants.id"), primary_key=True),
    Column("assistant_tool_timeout_ms", Integer, nullable=False),
    Column("assistant_runs_per_minute", Integer, nullable=False),
    Column("approval_threshold", MONEY),
    Column("approval_threshold_currency", String(3)),
)

assistant_threads = Table(
    "assistant_threads",
    metadata,
    _id(),
    _company_column(),
    Column("user_id", Uuid, ForeignKey("users.id"), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("archived", Boolean, nullable=False),
    _created(),
)

assistant_messages = Table(
    "assistant_messages",
    metadata,
    _id(),
    _company_column(),
    Column("thread_id", Uuid, ForeignKey("assistant_threads.id"), nullable=False, index=True),
    Column("role", String(20), nullable=False),
    Column("content", Text, nullable=False),
    Column("run_id", String(64)),
    Column("tool_results", JSON_DOC),
    _created(),
)

assistant_usage = Table(  # the assistant's use for the analytics: copied once by the ingester (copied_at)
    "assistant_usage",
    metadata,
    _id(),
    _company_column(),
    Column("run_id", String(64), nullable=False),
    Column("action", String(40), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("tool_calls", Integer, nullable=False, server_default="0"),
    Column("tokens", BigInteger, nullable=False, server_default="0"),
    Column("answer_ms", Integer, nullable=False, server_default="0"),
    Column("failure", String(64)),
    Column("tool", String(80)),
    Column("copied_at", DateTime(timezone=True)),
    Index("assistant_usage_to_copy", "occurred_at", postgresql_where=text("copied_at IS NULL")),
)

approvals = Table(
    "approvals",
    metadata,
    _id(),
    _company_column(),
    Column("subject_type", String(20), nullable=False),
    Column("subject_id", Uuid, nullable=False, index=True),
    Column("amount", MONEY, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("requested_by", Uuid, ForeignKey("users.id"), nullable=False),
    Column("status", String(20), nullable=False),
    Column("decided_by", Uuid, ForeignKey("users.id")),
    Column("reason", Text),
    Column("payload", JSON_DOC),
    Column("decided_at", DateTime(timezone=True)),
    _created(),
)

notifications = Table(
    "notifications",
    metadata,
    _id(),
    _company_column(),
    Column("user_id", Uuid, ForeignKey("users.id"), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("text", String(500), nullable=False),
    Column("subject_type", String(30), nullable=False),
    Column("subject_id", String(64), nullable=False),
    Column("read", Boolean, nullable=False),
    _created(),
)

refunds = Table(
    "refunds",
    metadata,
    _id(),
    _company_column(),
    Column("payment_id", Uuid, ForeignKey("payments.id"), nullable=False, index=True),
    Column("amount", MONEY, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("processor_refund_id", String(100), nullable=False, unique=True),
    Column("idempotency_key", String(255), nullable=False),
    Column("taken_by", Uuid, ForeignKey("users.id"), nullable=False),
    _created(),
)

outbox = Table(
    "outbox",
    metadata,
    _id(),
    _company_column(),
    Column("to_address", String(254), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, index=True),
    Column("last_error", Text),
    Column("sent_at", DateTime(timezone=True)),
    _created(),
    Column("about_id", Uuid, index=True),  # the record the e-mail is about (an invoice): withdrawn with it
    Column("queued_by", Uuid, ForeignKey("users.id")),  # whose action queued it: told if it cannot be delivered
)

campaigns = Table(
    "campaigns",
    metadata,
    _id(),
    _company_column(),
    Column("name", String(200), nullable=False),
    Column("budget", MONEY, nullable=False),
    Column("currency", String(3), nullable=False),
    _created(),
)

tickets = Table(
    "tickets",
    metadata,
    _id(),
    _company_column(),
    Column("client_id", Uuid, ForeignKey("clients.id"), nullable=False, index=True),
    Column("subject", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("answer", Text),
    Column("opened_by", Uuid, ForeignKey("users.id"), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
    _created(),
)
