"""A change of a ticket holds the ticket while it checks and writes: a change made meanwhile by someone else is
waited for, and the ticket is judged as that change left it (an answer never reopens a ticket closed while it was
being written)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from app.adapters.unit_of_work import UnitOfWork
from app.domain.errors import DomainError
from app.domain.roles import Role
from app.service_layer import customer_care
from app.service_layer.principal import Principal
from tests.app.row_locks import company_with_person, transaction


@pytest.fixture
def answered_ticket(stack) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """A company of its own, its seller, and a ticket of a client already answered: (company, seller, ticket)."""
    company, seller = company_with_person(stack.env["DATABASE_URL"], name="Tickets", role="sales")
    client, ticket = uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as owner:
        owner.execute(
            "INSERT INTO clients (id, tenant_id, name, created_at) VALUES (%s, %s, 'Initech', now())", (client, company)
        )
        owner.execute(
            "INSERT INTO tickets (id, tenant_id, client_id, subject, status, answer, opened_by, created_at)"
            " VALUES (%s, %s, %s, 'Where is the agenda?', 'answered', 'In your inbox', %s, now())",
            (ticket, company, client, seller),
        )
    return company, seller, ticket


def test_an_answer_written_while_the_ticket_is_closed_waits_and_is_refused(database, answered_ticket):
    company, seller, ticket = answered_ticket
    with transaction(database, company=company) as closing:
        closing.execute(text("UPDATE tickets SET status = 'closed', closed_at = now() WHERE id = :id"), {"id": ticket})
        with ThreadPoolExecutor(1) as pool:
            answer = pool.submit(_answer, database, company, seller, ticket)
            with pytest.raises(TimeoutError):
                answer.result(timeout=0.5)  # it waits for the close
            closing.commit()
            with pytest.raises(DomainError) as refused:
                answer.result(timeout=10)
    assert getattr(refused.value, "code", None) == "invalid_state", "a closed ticket is answered no more"
    with database.connect() as conn:
        status = conn.execute(text("SELECT status FROM tickets WHERE id = :id"), {"id": ticket}).scalar()
    assert status == "closed", "the close stands: the answer written meanwhile did not reopen the ticket"


def _answer(database: Any, company: uuid.UUID, seller: uuid.UUID, ticket: uuid.UUID) -> dict[str, Any]:
    @contextmanager
    def uow(company: uuid.UUID) -> Iterator[UnitOfWork]:
        with database.connect() as conn, conn.begin():
            yield UnitOfWork(conn, company=company)

    principal = Principal(user_id=seller, company_id=company, role=Role.SALES)
    return customer_care.answer_ticket(uow, principal, ticket, answer="Sent again")
