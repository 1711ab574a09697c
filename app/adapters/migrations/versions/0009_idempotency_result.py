"""idempotency keys keep the service's result, not an HTTP answer

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM idempotency_keys")  # answers stored as HTTP bodies cannot be read as results
    op.drop_column("idempotency_keys", "response_status")
    op.alter_column("idempotency_keys", "response_body", new_column_name="result")


def downgrade() -> None:
    op.execute("DELETE FROM idempotency_keys")
    op.alter_column("idempotency_keys", "result", new_column_name="response_body")
    op.add_column("idempotency_keys", sa.Column("response_status", sa.Integer(), nullable=True))
