"""The check of a caller's session, in the statement that chooses their company (``signed_in_as``).

Every request that checks its caller and every step of a question begin with it: it tells the database whose
rows the work may see, then reads the person and whether the session was signed out. Run as the platform's
role, which the company's rows guard.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import Connection, text

from app.adapters.tenancy_repository import signed_in_as
from app.bootstrap import COMPANY_ROLE


@pytest.fixture
def company(stack) -> Iterator[tuple[uuid.UUID, uuid.UUID]]:
    """A company of its own with Sam in it, and a session of Sam's signed out: (company, Sam)."""
    company, sam = uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as owner:
        owner.execute(
            "INSERT INTO tenants (id, name, slug, audit_seq, audit_head, created_at)"
            " VALUES (%s, 'Checks', %s, 0, '0', now())",
            (company, f"checks-{company.hex[:8]}"),
        )
        owner.execute(
            "INSERT INTO users (id, tenant_id, email, name, role, password_hash, commission_rate, created_at)"
            " VALUES (%s, %s, 'sam@checks.example', 'Sam', 'sales', 'x', 0, now())",
            (sam, company),
        )
        owner.execute(
            "INSERT INTO revoked_tokens (token_id, tenant_id, expires_at) VALUES (%s, %s, now() + interval '1 hour')",
            (f"gone-{company.hex}", company),
        )
    yield company, sam


def _as_the_platform(conn: Connection) -> None:
    conn.execute(text(f"SET ROLE {COMPANY_ROLE}"))


def _chosen(conn: Connection) -> str | None:
    return conn.execute(text("SELECT current_setting('app.company', true)")).scalar()


def test_the_check_reads_the_person_and_chooses_their_company_for_the_transaction(database, company):
    company_id, sam = company
    with database.connect() as conn:
        with conn.begin():
            _as_the_platform(conn)
            person = signed_in_as(conn, company_id, sam, "a-session", local=True)
            assert person == {"id": sam, "company_id": company_id, "role": "sales", "signed_out": False}
            assert _chosen(conn) == str(company_id)
            people = conn.execute(text("SELECT tenant_id FROM users")).scalars().all()
            assert set(people) == {company_id}, "the rest of the work sees the company's rows alone"
        assert _chosen(conn) in (None, ""), "chosen for the transaction only"


def test_outside_a_transaction_the_choice_lasts_for_the_connection(database, company):
    company_id, sam = company
    with database.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        _as_the_platform(conn)
        signed_in_as(conn, company_id, sam, "a-session", local=False)
        assert _chosen(conn) == str(company_id)
        conn.execute(text("RESET ROLE"))
        conn.execute(text("RESET app.company"))


def test_a_signed_out_session_is_told_apart(database, company):
    company_id, sam = company
    with database.connect() as conn, conn.begin():
        _as_the_platform(conn)
        person = signed_in_as(conn, company_id, sam, f"gone-{company_id.hex}", local=True)
        assert person is not None and person["signed_out"] is True


@pytest.mark.parametrize("hold", [False, True])
def test_a_person_is_not_found_for_another_company(database, company, hold):
    company_id, sam = company
    with database.connect() as conn, conn.begin():
        _as_the_platform(conn)
        assert signed_in_as(conn, uuid.uuid4(), sam, "a-session", local=True, hold=hold) is None
        assert signed_in_as(conn, company_id, uuid.uuid4(), "a-session", local=True, hold=hold) is None


@pytest.mark.parametrize("hold", [False, True])
def test_a_session_begun_before_the_companys_restore_is_signed_out_and_one_begun_after_holds(
    stack, database, company, hold
):
    company_id, sam = company
    restored = datetime(2026, 12, 6, 12, 0, 0, 500_000, tzinfo=UTC)
    with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as owner:
        owner.execute("UPDATE tenants SET sessions_from = %s WHERE id = %s", (restored, company_id))
    with database.connect() as conn, conn.begin():
        _as_the_platform(conn)

        def signed_out(issued: datetime | None) -> bool:
            person = signed_in_as(conn, company_id, sam, "a-session", local=True, hold=hold, issued=issued)
            assert person is not None
            return person["signed_out"]

        assert signed_out(restored - timedelta(microseconds=1)) is True
        assert signed_out(restored) is False
        assert signed_out(None) is False  # a check that does not say when its session began
