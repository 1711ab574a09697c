"""the assistant's use, recorded for the analytics: each question, and how its run ended

A row per question taken (``assistant_asked``), per tool call run (``assistant_tool_called``: which tool,
and how it ended if not well), per answer (``assistant_answered``: the run's tool calls, tokens and
milliseconds to its answer) and per run ended without one (``assistant_failed``: why). Written
without the company's audit lock, so a long job holding the company's records never holds a question up;
the analytics ingester copies each row once (``copied_at``) and the store keeps each once (its id).

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

THE_COMPANY = (
    "(tenant_id::text = current_setting('app.company', true) OR current_setting('app.company', true) = 'all')"
)


def upgrade() -> None:
    op.create_table(
        "assistant_usage",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), sa.ForeignKey("tenants.id"), nullable=False, index=True),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tool_calls", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("tokens", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("answer_ms", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("failure", sa.String(length=64), nullable=True),
        sa.Column("tool", sa.String(length=80), nullable=True),
        sa.Column("copied_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "assistant_usage_to_copy", "assistant_usage", ["occurred_at"], postgresql_where=sa.text("copied_at IS NULL")
    )
    op.execute("ALTER TABLE assistant_usage ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY company_only ON assistant_usage USING {THE_COMPANY} WITH CHECK {THE_COMPANY}")


def downgrade() -> None:
    op.drop_table("assistant_usage")
