"""tasks say who asked for them and how they were written

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tasks", sa.Column("created_by", sa.Uuid(), sa.ForeignKey("users.id"), nullable=True))
    op.add_column(
        "tasks", sa.Column("written_via", sa.String(length=20), nullable=False, server_default="platform")
    )


def downgrade() -> None:
    op.drop_column("tasks", "written_via")
    op.drop_column("tasks", "created_by")
