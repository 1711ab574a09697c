"""What a unit of work on the event loop leaves for after its commit (a live push, a notice to the other
instances, waking the mail sender) runs once the work has committed, in a worker thread: those are blocking
calls (Redis), and the instance's event loop serves every other request meanwhile."""

from __future__ import annotations

import asyncio
import threading
import uuid

from sqlalchemy.ext.asyncio import create_async_engine

from app.adapters.unit_of_work import async_unit_of_work
from support.scenario.config import SpecConfig
from support.scenario.tenants import Tenant
from tests.app.async_database import asyncpg_url


class RecordedWake:
    """Stands for the mail sender's wake: where it was rung from."""

    def __init__(self) -> None:
        self.rung_from: list[int] = []

    def ring(self) -> None:
        self.rung_from.append(threading.get_ident())


def test_mail_queued_on_the_event_loop_wakes_the_sender_from_a_worker_thread_after_the_commit(stack):
    company = uuid.UUID(Tenant.provision(SpecConfig.of(stack.env), "after the commit").id)
    wake = RecordedWake()
    seen_before_commit: list[list[int]] = []

    def queue_mail(uow) -> None:
        with uow(company=company) as u:
            u.outbox.enqueue(to_address="client@example.com", subject="Invoice", body="Attached.")
            seen_before_commit.append(list(wake.rung_from))

    async def scenario() -> int:
        engine = create_async_engine(asyncpg_url(stack.env["DATABASE_URL"]), pool_size=1, max_overflow=0)
        try:
            await async_unit_of_work(engine, mail_wake=wake)(queue_mail)  # type: ignore[arg-type]
            return threading.get_ident()
        finally:
            await engine.dispose()

    loop_thread = asyncio.run(scenario())

    assert seen_before_commit == [[]], "the sender is woken only once the mail is committed"
    assert len(wake.rung_from) == 1, "the sender is woken once"
    assert wake.rung_from[0] != loop_thread, "the wake (like every after-commit call) is off the event loop"
