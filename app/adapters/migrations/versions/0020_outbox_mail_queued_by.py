"""who queued each e-mail of the outbox, so that one that can never be delivered is told to them

An e-mail the client's mail server refused for good (no such mailbox) was set aside as undeliverable and only
logged: the person who issued the invoice believed the client had it. The e-mail now names the person whose
action queued it, and setting it aside tells them, with why.

Revision ID: 0020
Revises: 0019
"""
import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("queued_by", sa.Uuid(), sa.ForeignKey("users.id"), nullable=True))


def downgrade() -> None:
    op.drop_column("outbox", "queued_by")
