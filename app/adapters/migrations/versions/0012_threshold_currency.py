"""the approval threshold names its currency: an amount in another one is never compared with it as if alike

Thresholds set before are in euros (the only currency the platform's settings knew).

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tenant_settings", sa.Column("approval_threshold_currency", sa.String(3), nullable=True))
    op.execute("UPDATE tenant_settings SET approval_threshold_currency = 'EUR' WHERE approval_threshold IS NOT NULL")


def downgrade() -> None:
    op.drop_column("tenant_settings", "approval_threshold_currency")
