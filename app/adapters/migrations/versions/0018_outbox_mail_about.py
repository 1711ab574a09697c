"""what each e-mail of the outbox is about, so that one no longer true is withdrawn before it is sent

An invoice's e-mail is queued when the invoice is issued; while the mail server is away it waits. An invoice voided
meanwhile was still mailed to its client once the server was back. The e-mail now names the record it is about
(the invoice), and voiding the invoice withdraws its e-mail if it still waits.

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("about_id", sa.Uuid(), nullable=True))
    op.create_index("ix_outbox_about_id", "outbox", ["about_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_about_id", table_name="outbox")
    op.drop_column("outbox", "about_id")
