"""assistant threads and messages, tenant settings, invoice payment terms

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.add_column("invoices", sa.Column("payment_terms_days", sa.Integer(), nullable=False, server_default="30"))
    op.add_column("invoices", sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "tenant_settings",
        sa.Column("tenant_id", sa.Uuid(), sa.ForeignKey("tenants.id"), primary_key=True),
        sa.Column("assistant_tool_timeout_ms", sa.Integer(), nullable=False),
        sa.Column("assistant_runs_per_minute", sa.Integer(), nullable=False),
    )
    op.create_table(
        "assistant_threads",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), sa.ForeignKey("tenants.id"), nullable=False, index=True),
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "assistant_messages",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), sa.ForeignKey("tenants.id"), nullable=False, index=True),
        sa.Column("thread_id", sa.Uuid(), sa.ForeignKey("assistant_threads.id"), nullable=False, index=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=True),
        sa.Column("tool_results", JSON_DOC, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("assistant_messages")
    op.drop_table("assistant_threads")
    op.drop_table("tenant_settings")
    op.drop_column("invoices", "due_at")
    op.drop_column("invoices", "payment_terms_days")
