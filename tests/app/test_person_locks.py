"""How a person's row is held, and what each hold makes others wait for (PostgreSQL's row locks).

A write of the assistant holds the person's rights while it writes (the session check ``hold``: FOR SHARE),
so a change of role or a sign-out (``hold_for_change``: FOR NO KEY UPDATE) waits for it; nothing else waits
more than that. Each test tries the second party with a short lock timeout: it is refused only if it had to
wait for the first's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from app.adapters.tenancy_repository import PeopleRepository, signed_in_as

WAITS_AT_MOST = "200ms"  # longer than any of these statements takes without waiting


@pytest.fixture
def person(stack) -> tuple[uuid.UUID, uuid.UUID]:
    """A company of its own with one person in it: (company, person)."""
    company, person = uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as owner:
        owner.execute(
            "INSERT INTO tenants (id, name, slug, audit_seq, audit_head, created_at) VALUES (%s, 'Locks', %s, 0, '0', now())",
            (company, f"locks-{company.hex[:8]}"),
        )
        owner.execute(
            "INSERT INTO users (id, tenant_id, email, name, role, password_hash, commission_rate, created_at)"
            " VALUES (%s, %s, 'sam@locks.example', 'Sam', 'sales', 'x', 0, now())",
            (person, company),
        )
    return company, person


@contextmanager
def transaction(database, *, waits: bool = True) -> Iterator[Connection]:
    """A transaction kept open while the block runs; ``waits=False``: one that gives up on a lock at once."""
    with database.connect() as conn, conn.begin():
        if not waits:
            conn.execute(text(f"SET LOCAL lock_timeout = '{WAITS_AT_MOST}'"))
        yield conn


def _never_waited(action) -> None:
    try:
        action()
    except OperationalError as refused:
        pytest.fail(f"it waited for the other transaction's lock on the person: {refused.orig}")


def test_two_writes_of_the_assistant_for_one_person_do_not_wait_for_each_other(database, person):
    company, sam = person
    with transaction(database) as first, transaction(database, waits=False) as second:
        signed_in_as(first, company, sam, "token-1", local=True, hold=True)
        _never_waited(lambda: signed_in_as(second, company, sam, "token-2", local=True, hold=True))


def test_a_request_that_only_checks_the_session_holds_nothing_a_change_of_role_waits_for(database, person):
    company, sam = person
    with transaction(database) as request, transaction(database, waits=False) as change:
        signed_in_as(request, company, sam, "token-1", local=True)
        _never_waited(lambda: PeopleRepository(change, company).change_role(sam, "manager"))


def test_a_change_of_rights_waits_for_a_write_of_the_assistant_in_flight(database, person):
    company, sam = person
    with transaction(database) as write, transaction(database, waits=False) as change:
        signed_in_as(write, company, sam, "token-1", local=True, hold=True)
        with pytest.raises(OperationalError, match="lock timeout"):
            PeopleRepository(change, company).hold_for_change(sam)


def test_a_change_of_rights_in_progress_does_not_hold_up_records_that_name_the_person(database, person):
    """A lead given to Sam while Sam signs out elsewhere is written at once (its reference to Sam takes a key
    share of the row, which only a change of the person's id or a removal would have to wait for)."""
    company, sam = person
    with transaction(database) as sign_out, transaction(database, waits=False) as colleague:
        PeopleRepository(sign_out, company).hold_for_change(sam)
        _never_waited(
            lambda: colleague.execute(
                text(
                    "INSERT INTO leads (id, tenant_id, company, contact_name, estimated_value, currency, status,"
                    " owner_id, created_at) VALUES (:id, :company, 'Lead', 'Ann', 10, 'EUR', 'new', :sam, now())"
                ),
                {"id": uuid.uuid4(), "company": company, "sam": sam},
            )
        )
