"""refunds, and commissions reversed by them

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "refunds",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), sa.ForeignKey("tenants.id"), nullable=False, index=True),
        sa.Column("payment_id", sa.Uuid(), sa.ForeignKey("payments.id"), nullable=False, index=True),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("processor_refund_id", sa.String(length=100), nullable=False, unique=True),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("taken_by", sa.Uuid(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    # A payment now has its commission and, per refund, a reversal of it.
    op.drop_constraint("commissions_payment_id_key", "commissions", type_="unique")
    op.create_index("ix_commissions_payment_id", "commissions", ["payment_id"])
    op.add_column("commissions", sa.Column("refund_id", sa.Uuid(), sa.ForeignKey("refunds.id"), nullable=True))
    op.create_unique_constraint("uq_commissions_refund_id", "commissions", ["refund_id"])


def downgrade() -> None:
    op.drop_constraint("uq_commissions_refund_id", "commissions", type_="unique")
    op.drop_column("commissions", "refund_id")
    op.drop_index("ix_commissions_payment_id", "commissions")
    op.create_unique_constraint("commissions_payment_id_key", "commissions", ["payment_id"])
    op.drop_table("refunds")
