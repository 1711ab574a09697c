"""The database keeps each company's rows to itself, whatever the query: row-level security (migration 0011).

The platform works as ``platform_app`` with ``app.company`` naming the company
its unit of work serves; these tests query as that role directly, the way a
query that forgot its company filter would.
"""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy import event, text

from app.adapters.unit_of_work import UnitOfWork
from support.clients.database_engine import engine

ROLE = "platform_app"


@pytest.fixture
def two_companies(stack):
    """Two companies with one lead each, written as the database's owner (who is not held by the policies)."""
    ids = {name: uuid.uuid4() for name in ("acme", "globex")}
    with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as owner:
        for name, company in ids.items():
            person = uuid.uuid4()
            owner.execute(
                "INSERT INTO tenants (id, name, slug, audit_seq, audit_head, created_at)"
                " VALUES (%s, %s, %s, 0, '0', now())",
                (company, name, f"rls-{name}-{company.hex[:8]}"),
            )
            owner.execute(
                "INSERT INTO users (id, tenant_id, email, name, role, password_hash, commission_rate, created_at)"
                " VALUES (%s, %s, %s, 'Sam', 'sales', 'x', 0, now())",
                (person, company, f"sam@{name}.example"),
            )
            owner.execute(
                "INSERT INTO leads (id, tenant_id, company, contact_name, estimated_value, currency, status,"
                " owner_id, created_at) VALUES (%s, %s, %s, 'Ann', 10, 'EUR', 'new', %s, now())",
                (uuid.uuid4(), company, f"Lead of {name}", person),
            )
    return ids


def _as_platform(stack, company: str | None):
    conn = psycopg.connect(stack.env["DATABASE_URL"], options=f"-c role={ROLE}")
    if company is not None:
        conn.execute("SELECT set_config('app.company', %s, true)", (company,))
    return conn


def _lead_companies(conn, ids) -> set[str]:
    rows = conn.execute("SELECT company FROM leads WHERE tenant_id = ANY(%s)", (list(ids.values()),)).fetchall()
    return {row[0] for row in rows}


def test_a_query_without_a_company_filter_reads_only_the_company_it_works_for(stack, two_companies):
    with _as_platform(stack, str(two_companies["acme"])) as conn:
        assert _lead_companies(conn, two_companies) == {"Lead of acme"}


def test_no_company_named_reads_nothing(stack, two_companies):
    with _as_platform(stack, None) as conn:
        assert _lead_companies(conn, two_companies) == set()


def test_work_across_companies_reads_them_all(stack, two_companies):
    with _as_platform(stack, "all") as conn:
        assert _lead_companies(conn, two_companies) == {"Lead of acme", "Lead of globex"}


def test_a_row_written_for_another_company_is_refused(stack, two_companies):
    with _as_platform(stack, str(two_companies["acme"])) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "UPDATE leads SET tenant_id = %s WHERE tenant_id = %s", (two_companies["globex"], two_companies["acme"])
            )


def test_a_company_chosen_once_per_transaction_holds_for_each_unit_of_work_in_it(stack, two_companies):
    """Units of work sharing a transaction tell the database their company once; a change of company, or
    a new transaction, tells it again."""

    def leads(conn):
        return {row[0] for row in conn.execute(text("SELECT company FROM leads"))}

    platform = engine(
        stack.env["DATABASE_URL"] + ("&" if "?" in stack.env["DATABASE_URL"] else "?") + f"options=-c%20role%3D{ROLE}"
    )
    acme, globex = two_companies["acme"], two_companies["globex"]
    with platform.connect() as conn:
        for _ in range(2):  # the second transaction must be told again: the first one's setting ended with it
            with conn.begin():
                UnitOfWork(conn, company=acme)
                assert leads(conn) == {"Lead of acme"}
                UnitOfWork(conn, company=globex)
                assert leads(conn) == {"Lead of globex"}
                UnitOfWork(conn, company=acme)
                assert leads(conn) == {"Lead of acme"}
    platform.dispose()


def test_units_of_work_of_one_company_sharing_a_transaction_tell_the_database_once(stack, two_companies):
    """A question's checks and writes share a transaction: the company is set by its first unit of work only."""
    told: list[str] = []
    platform = engine(stack.env["DATABASE_URL"])
    event.listen(
        platform,
        "before_cursor_execute",
        lambda _conn, _cursor, statement, *_: told.append(statement) if "app.company" in statement else None,
    )
    acme = two_companies["acme"]
    with platform.connect() as conn, conn.begin():
        for _ in range(3):
            UnitOfWork(conn, company=acme)
    platform.dispose()
    assert len(told) == 1, f"the company was set {len(told)} times in one transaction"
