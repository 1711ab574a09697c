"""idempotency keys found by when they expire

An idempotency key's answer is kept 24 hours, and a signed-out session's revocation until the session would have
expired; neither was ever forgotten after (an expired key was deleted only when the same key came again), so both
tables grew with every payment and every sign-out, for good. The platform now forgets them once expired
(``app.adapters.expired_records``); the revocations were already found by their expiry, the keys are now too.

Revision ID: 0017
Revises: 0016
"""
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_idempotency_keys_expires_at", "idempotency_keys", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_idempotency_keys_expires_at", table_name="idempotency_keys")
