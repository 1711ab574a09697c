"""every company's rows guarded by the database too: row-level security keyed by the request's company

The platform works as the role ``platform_app`` (``SET ROLE`` on every
connection), to which these policies apply: a row of a company table is seen
and written only while ``app.company`` names its company (set by the unit of
work when it is opened for a company), or is ``all`` (work across companies:
the mail sender). A query that forgets its company filter then reads nothing
of another company. Migrations, and the harness's read-only checks, run as
the owner and see everything.

Revision ID: 0011
Revises: 0010
"""
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ROLE = "platform_app"
COMPANY_TABLES = (
    "users", "clients", "leads", "opportunities", "projects", "tasks", "invoices", "invoice_lines", "payments",
    "commissions", "audit_entries", "idempotency_keys", "revoked_tokens", "tenant_settings", "assistant_threads",
    "assistant_messages", "approvals", "notifications", "refunds", "outbox", "campaigns", "tickets",
)
THE_COMPANY = (
    "(tenant_id::text = current_setting('app.company', true) OR current_setting('app.company', true) = 'all')"
)


def upgrade() -> None:
    op.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') "
        f"THEN CREATE ROLE {ROLE} NOLOGIN; END IF; END $$"
    )
    op.execute(f"GRANT {ROLE} TO CURRENT_USER")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {ROLE}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ROLE}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {ROLE}")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {ROLE}")
    for table in COMPANY_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY company_only ON {table} USING {THE_COMPANY} WITH CHECK {THE_COMPANY}")


def downgrade() -> None:
    for table in COMPANY_TABLES:
        op.execute(f"DROP POLICY IF EXISTS company_only ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM {ROLE}")
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {ROLE}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {ROLE}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {ROLE}")
