"""What a unit of work leaves for after its commit runs once the work has committed, and never if it did not: a
live push or a notice to the other instances in a worker thread (blocking Redis calls: the instance's event loop
serves every other request meanwhile), and the wake of this instance's mail sender or analytics ingester at once,
on the loop (a ring never waits)."""

from __future__ import annotations

import asyncio
import threading
import uuid

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from app.adapters.unit_of_work import async_unit_of_work
from support.scenario.config import SpecConfig
from support.scenario.tenants import Tenant
from tests.app.async_database import asyncpg_url


class RecordedWake:
    """Stands for one of the instance's wakes: where it was rung from."""

    def __init__(self) -> None:
        self.rung_from: list[int] = []

    def ring(self) -> None:
        self.rung_from.append(threading.get_ident())


class RecordedWakes:
    def __init__(self) -> None:
        self.mail, self.analytics = RecordedWake(), RecordedWake()

    def rung(self) -> dict[str, list[int]]:
        return {"mail": list(self.mail.rung_from), "analytics": list(self.analytics.rung_from)}


class Refused(Exception):
    """The work's own failure: its transaction is rolled back."""


def _run_on_the_loop(stack, work, wakes: RecordedWakes) -> int:
    """Runs ``work`` in one unit of work on an event loop; returns the loop's thread."""

    async def scenario() -> int:
        engine = create_async_engine(asyncpg_url(stack.env["DATABASE_URL"]), pool_size=1, max_overflow=0)
        try:
            await async_unit_of_work(engine, wakes=wakes)(work)  # type: ignore[arg-type]
        finally:
            await engine.dispose()
        return threading.get_ident()

    return asyncio.run(scenario())


@pytest.fixture
def company(stack) -> uuid.UUID:
    return uuid.UUID(Tenant.provision(SpecConfig.of(stack.env), "after the commit").id)


def test_mail_queued_and_an_event_recorded_wake_the_sender_and_the_ingester_once_after_the_commit(stack, company):
    wakes = RecordedWakes()
    seen_before_commit: list[dict[str, list[int]]] = []

    def queue_mail_and_record(uow) -> None:
        with uow(company=company) as u:
            u.outbox.enqueue(to_address="client@example.com", subject="Invoice", body="Attached.")
            u.audit.append(action="invoice.sent", actor_id=None, entity_type="invoice", entity_id=uuid.uuid4())
            u.audit.append(action="invoice.viewed", actor_id=None, entity_type="invoice", entity_id=uuid.uuid4())
            seen_before_commit.append(wakes.rung())

    loop_thread = _run_on_the_loop(stack, queue_mail_and_record, wakes)

    assert seen_before_commit == [{"mail": [], "analytics": []}], "nobody is woken before the commit"
    assert wakes.rung() == {"mail": [loop_thread], "analytics": [loop_thread]}, (
        "each woken once, however much was written, from the loop itself (no hand-off to a thread)"
    )


def test_work_that_fails_wakes_nobody(stack, company):
    wakes = RecordedWakes()

    def queue_mail_then_fail(uow) -> None:
        with uow(company=company) as u:
            u.outbox.enqueue(to_address="client@example.com", subject="Invoice", body="Attached.")
            u.audit.append(action="invoice.sent", actor_id=None, entity_type="invoice", entity_id=uuid.uuid4())
            raise Refused

    with pytest.raises(Refused):
        _run_on_the_loop(stack, queue_mail_then_fail, wakes)
    assert wakes.rung() == {"mail": [], "analytics": []}, "nothing was committed: nothing to send or copy"
