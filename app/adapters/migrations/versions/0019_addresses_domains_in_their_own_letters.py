"""people's addresses stored with their domains in their own letters

A domain beyond ASCII has two spellings (``bücher.example`` and its ASCII-compatible ``xn--bcher-kva.example``),
and each was stored, looked up and throttled as it was typed: one mailbox could hold two accounts in a company,
and the person had to sign in spelled as they were added. The platform now stores each such label decoded
(``app.domain.accounts``). An address stored encoded before is stored decoded here, unless the company already
has the decoded one (two accounts for one mailbox, kept as they are: which one the person uses is theirs to say).

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op

from app.domain.accounts import account_email  # the one rule; an address stored before is folded already

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    stored = bind.execute(sa.text("SELECT id, tenant_id, email FROM users WHERE email LIKE '%@%xn--%'")).all()
    for user_id, company_id, email in stored:
        spelled = account_email(email)
        if spelled != email:
            bind.execute(
                sa.text(
                    "UPDATE users SET email = :spelled WHERE id = :id AND NOT EXISTS "
                    "(SELECT 1 FROM users WHERE tenant_id = :company AND email = :spelled)"
                ),
                {"spelled": spelled, "id": user_id, "company": company_id},
            )


def downgrade() -> None:
    pass  # both spellings name the same mailbox: an address stored decoded is one the platform before took too
