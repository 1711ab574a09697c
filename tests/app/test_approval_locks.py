"""A decision holds its approval until it is stored: a second decision of the same approval waits for the first
and then finds it decided (two approvers at once never both decide it), while reading it never waits.

Each test tries the second party with a short lock timeout: it is refused only if it had to wait for the first's
transaction. The repository is used as the decision uses it (``held``, then ``decide``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import psycopg
import pytest
from sqlalchemy.exc import OperationalError

from app.adapters.approvals_repository import ApprovalsRepository
from app.domain.pages import Page
from tests.app.row_locks import company_with_person, transaction


@pytest.fixture
def approval(stack) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """A company of its own, the person who asked, and their pending approval: (company, asker, approval)."""
    company, asker = company_with_person(stack.env["DATABASE_URL"], name="Approvals", role="finance")
    approval = uuid.uuid4()
    with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as owner:
        owner.execute(
            "INSERT INTO approvals (id, tenant_id, subject_type, subject_id, amount, currency, requested_by, status,"
            " created_at) VALUES (%s, %s, 'payment', %s, 12100.00, 'EUR', %s, 'pending', now())",
            (approval, company, uuid.uuid4(), asker),
        )
    return company, asker, approval


@contextmanager
def approvals_of(database, company: uuid.UUID, *, waits: bool = True) -> Iterator[ApprovalsRepository]:
    """The company's approvals in a transaction kept open while the block runs (``transaction``)."""
    with transaction(database, waits=waits, company=company) as conn:
        yield ApprovalsRepository(conn, company)


def test_a_second_decision_waits_for_the_first_to_be_stored(database, approval):
    company, _, approval_id = approval
    with approvals_of(database, company) as first, approvals_of(database, company, waits=False) as second:
        assert first.held(approval_id) is not None
        with pytest.raises(OperationalError, match="lock timeout"):
            second.held(approval_id)


def test_the_second_decision_finds_the_approval_decided_by_the_first(database, approval):
    company, asker, approval_id = approval
    with approvals_of(database, company) as first:
        first.held(approval_id)
        decided = first.decide(approval_id, status="approved", decided_by=asker, reason=None)
    with approvals_of(database, company) as second:
        found = second.held(approval_id)
    assert found is not None and (found["status"], found["decided_by"]) == ("approved", asker)
    assert (decided["status"], decided["decided_at"]) == ("approved", found["decided_at"])
    assert decided["decided_at"] is not None, "a decision says when it was taken"


def test_reading_an_approval_being_decided_never_waits(database, approval):
    company, _, approval_id = approval
    with approvals_of(database, company) as deciding, approvals_of(database, company, waits=False) as reading:
        deciding.held(approval_id)
        try:
            listed = reading.listed(status="pending", page=Page())
            latest = reading.latest_for(listed[0]["subject_id"])
        except OperationalError as waited:
            pytest.fail(f"a read waited for the decision's lock on the approval: {waited.orig}")
    assert [a["id"] for a in listed] == [approval_id]
    assert latest is not None and (latest["id"], latest["amount"]) == (approval_id, Decimal("12100.00"))
