"""How a person's row is held, and what each hold makes others wait for (PostgreSQL's row locks).

A write of the assistant holds the person's rights while it writes (the session check ``hold``: FOR SHARE),
so a change of role or a sign-out (``hold_for_change``: FOR NO KEY UPDATE) waits for it; nothing else waits
more than that. Each test tries the second party with a short lock timeout: it is refused only if it had to
wait for the first's transaction.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.adapters.tenancy_repository import PeopleRepository, signed_in_as
from tests.app.row_locks import company_with_person, transaction


@pytest.fixture
def person(stack) -> tuple[uuid.UUID, uuid.UUID]:
    """A company of its own with one person in it: (company, person)."""
    return company_with_person(stack.env["DATABASE_URL"], name="Locks", role="sales")


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


def test_a_change_of_rights_waits_for_another_change_of_the_same_people_and_reads_what_it_left(stack, database):
    """Two owners taking each other's role at the same moment: the second change waits for the first, then
    finds its own caller no longer an owner (each read the other's rights before either wrote, and both were
    let through, leaving the company without the owner each thought would remain)."""
    company, olivia = company_with_person(stack.env["DATABASE_URL"], name="Owners", role="owner")
    fiona = _another_person(stack.env["DATABASE_URL"], company, role="owner")
    with transaction(database) as first:
        assert PeopleRepository(first, company).roles_held_for_change(olivia, fiona) == {
            olivia: "owner",
            fiona: "owner",
        }
        PeopleRepository(first, company).change_role(fiona, "sales")
        with ThreadPoolExecutor(1) as pool:
            second = pool.submit(_roles_held, database, company, fiona, olivia)
            with pytest.raises(TimeoutError):
                second.result(timeout=0.5)  # it waits for the first change
            first.commit()
            assert second.result(timeout=5) == {olivia: "owner", fiona: "sales"}


def _roles_held(database, company: uuid.UUID, *people: uuid.UUID) -> dict[uuid.UUID, str]:
    with transaction(database) as conn:
        return PeopleRepository(conn, company).roles_held_for_change(*people)


def _another_person(database_url: str, company: uuid.UUID, *, role: str) -> uuid.UUID:
    person = uuid.uuid4()
    with psycopg.connect(database_url, autocommit=True) as owner:
        owner.execute(
            "INSERT INTO users (id, tenant_id, email, name, role, password_hash, commission_rate, created_at)"
            " VALUES (%s, %s, %s, 'Another', %s, 'x', 0, now())",
            (person, company, f"another-{person.hex[:8]}@example.com", role),
        )
    return person
