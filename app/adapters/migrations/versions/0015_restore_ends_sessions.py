"""a company restored from its backup is signed out: every session begun before the restore is over

``tenants.sessions_from``: sessions begun before this moment (to the second, as a token says when it was
issued) are over; a restore sets it. The backup is the company as it was when taken: a session signed out
since was not signed out in it, and came back to life with the restore (as did every session of the people
of a company removed by mistake). ``signed_in_as`` takes the moment the caller's token was issued and
answers such a session as signed out.

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

CHECK = """
        CREATE FUNCTION signed_in_as(
            company uuid, person uuid, token text, local boolean, hold boolean, issued timestamptz
        )
        RETURNS TABLE (id uuid, company_id uuid, role text, signed_out boolean)
        LANGUAGE plpgsql VOLATILE AS $$
        #variable_conflict use_column
        BEGIN
            PERFORM set_config('app.company', company::text, local);
            IF hold THEN
                RETURN QUERY
                    SELECT u.id, u.tenant_id, u.role::text,
                           EXISTS (SELECT FROM revoked_tokens r WHERE r.token_id = signed_in_as.token)
                           OR coalesce(signed_in_as.issued < t.sessions_from, false)
                    FROM users u JOIN tenants t ON t.id = u.tenant_id
                    WHERE u.tenant_id = signed_in_as.company AND u.id = signed_in_as.person
                    FOR SHARE OF u;
            ELSE
                RETURN QUERY
                    SELECT u.id, u.tenant_id, u.role::text,
                           EXISTS (SELECT FROM revoked_tokens r WHERE r.token_id = signed_in_as.token)
                           OR coalesce(signed_in_as.issued < t.sessions_from, false)
                    FROM users u JOIN tenants t ON t.id = u.tenant_id
                    WHERE u.tenant_id = signed_in_as.company AND u.id = signed_in_as.person;
            END IF;
        END
        $$
"""


def upgrade() -> None:
    op.add_column("tenants", sa.Column("sessions_from", sa.DateTime(timezone=True), nullable=True))
    op.execute("DROP FUNCTION signed_in_as(uuid, uuid, text, boolean, boolean)")
    op.execute(CHECK)


def downgrade() -> None:
    op.execute("DROP FUNCTION signed_in_as(uuid, uuid, text, boolean, boolean, timestamptz)")
    op.drop_column("tenants", "sessions_from")
    op.execute(
        CHECK.replace(", issued timestamptz", "")
        .replace("\n                           OR coalesce(signed_in_as.issued < t.sessions_from, false)", "")
        .replace(" JOIN tenants t ON t.id = u.tenant_id", "")
    )
