"""the companies whose events the analytics store is to forget, and copy again from their trail

A company's removal took every row it held in the database, and left every event of it in the analytics store:
its figures stayed there for good, and a company restored from its backup had its old events beside the restored
trail's (the store's ``max(seq)`` for it still that of the company removed: the restored company's new events were
not copied until their seq passed it). A removal and a restore now name the company here, in their own
transaction; the analytics ingester forgets the company's events in the store, marks its assistant's use to be
copied again, and takes the name off: the company's trail is then copied from its first entry (nothing, for a
company removed).

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_recopy",
        sa.Column("company_id", sa.Uuid, primary_key=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )


def downgrade() -> None:
    op.drop_table("analytics_recopy")
