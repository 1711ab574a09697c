"""a caller's session is checked by the statement that chooses the company the work is for: one round trip

``signed_in_as(company, person, token, local, hold)`` tells the database whose rows the connection's work may
see (``app.company``, as the unit of work's ``set_config`` does: for the transaction when ``local``, else for
the connection's checkout), then answers the person's id, company (``company_id``) and role, if the person is
there, with whether the session ``token`` was signed out; ``hold`` locks the person's row (FOR SHARE) until the
transaction ends.
Every request that checks its caller, and every step of a question, did this in two statements. It runs as
the caller (no SECURITY DEFINER): the company's rows guard it as they guard any statement, once it is chosen.

Revision ID: 0014
Revises: 0013
"""
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION signed_in_as(company uuid, person uuid, token text, local boolean, hold boolean)
        RETURNS TABLE (id uuid, company_id uuid, role text, signed_out boolean)
        LANGUAGE plpgsql VOLATILE AS $$
        #variable_conflict use_column
        BEGIN
            PERFORM set_config('app.company', company::text, local);
            IF hold THEN
                RETURN QUERY
                    SELECT u.id, u.tenant_id, u.role::text,
                           EXISTS (SELECT FROM revoked_tokens r WHERE r.token_id = signed_in_as.token)
                    FROM users u
                    WHERE u.tenant_id = signed_in_as.company AND u.id = signed_in_as.person
                    FOR SHARE OF u;
            ELSE
                RETURN QUERY
                    SELECT u.id, u.tenant_id, u.role::text,
                           EXISTS (SELECT FROM revoked_tokens r WHERE r.token_id = signed_in_as.token)
                    FROM users u
                    WHERE u.tenant_id = signed_in_as.company AND u.id = signed_in_as.person;
            END IF;
        END
        $$
        """
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS signed_in_as(uuid, uuid, text, boolean, boolean)")
