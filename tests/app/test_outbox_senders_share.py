"""Every instance runs a mail sender, and they share the queue: a sender passes over the messages another holds
(while its mail server is slow) and sends the rest at once, never waiting for them and never sending them too.

The senders here work on a database of their own (the outbox and the companies it names, nothing else), so the
stack's own senders and other tests' mail stay out of it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, insert, select

from app.adapters import outbox as outbox_module
from app.adapters.tables import outbox, tenants
from app.domain.clock import utc_now
from tests.app.database_of_its_own import database_of_its_own

SENDS_WITHIN_S = 5.0  # sending one message to a fake server takes milliseconds; waiting for the holder, forever


@pytest.fixture
def queue(stack) -> Iterator[Engine]:
    """A database of the platform's tables holding one company and its outbox, nothing else."""
    with database_of_its_own(stack.env["DATABASE_URL"], "outbox") as made:
        yield made


@pytest.fixture
def mail_server(monkeypatch) -> list[str]:
    """The subjects the mail server was given."""
    given: list[str] = []

    class Server:
        def __init__(self, host: str, port: int, timeout: float) -> None:
            pass

        def send_message(self, email) -> None:
            given.append(email["Subject"])

        def quit(self) -> None:
            pass

        def close(self) -> None:
            pass

    monkeypatch.setattr(outbox_module.smtplib, "SMTP", Server)
    return given


def _queued(queue: Engine, *subjects: str) -> list[uuid.UUID]:
    """Messages due now, in the order given (the first the most overdue), of a new company."""
    company, now = uuid.uuid4(), utc_now()
    ids = [uuid.uuid4() for _ in subjects]
    with queue.begin() as conn:
        conn.execute(
            insert(tenants).values(
                id=company, name="Mail", slug=f"mail-{company.hex[:8]}", audit_seq=0, audit_head="0", created_at=now
            )
        )
        for place, (message, subject) in enumerate(zip(ids, subjects, strict=True)):
            due = now - timedelta(minutes=len(subjects) - place)
            conn.execute(
                insert(outbox).values(
                    id=message,
                    tenant_id=company,
                    to_address="accounts@example.com",
                    subject=subject,
                    body="Due",
                    status="pending",
                    attempts=0,
                    next_attempt_at=due,
                    created_at=now,
                )
            )
    return ids


def _statuses(queue: Engine) -> dict[str, str]:
    with queue.connect() as conn:
        return dict(conn.execute(select(outbox.c.subject, outbox.c.status)).all())


def test_a_sender_passes_over_the_messages_another_holds_and_sends_the_rest_at_once(queue, mail_server):
    held, _ = _queued(queue, "Invoice 1", "Invoice 2")
    sender = outbox_module.OutboxSender(queue, "smtp://mail:25", sender="billing@platform", batch=10)
    sent: list[int] = []
    with queue.connect() as other, other.begin():  # another instance's sender, its mail server slow
        other.execute(select(outbox.c.id).where(outbox.c.id == held).with_for_update())
        running = threading.Thread(target=lambda: sent.append(sender.send_due()), daemon=True)
        running.start()
        running.join(SENDS_WITHIN_S)
        assert not running.is_alive(), "the sender waited for the message another instance holds"
    assert (sent, mail_server) == ([1], ["Invoice 2"])
    assert _statuses(queue) == {"Invoice 1": "pending", "Invoice 2": "sent"}, "the held message is the holder's to send"


def test_a_sender_knows_when_the_next_message_is_due_and_that_none_waits_once_all_are_sent(queue, mail_server):
    sender = outbox_module.OutboxSender(queue, "smtp://mail:25", sender="billing@platform", batch=10)
    assert sender.seconds_until_due() is None, "an empty outbox: nothing to wait for"
    _queued(queue, "Invoice 1")
    assert sender.seconds_until_due() == 0, "a message overdue is due now"
    later = utc_now() + timedelta(seconds=90)
    with queue.begin() as conn:
        conn.execute(outbox.update().values(next_attempt_at=later))
    assert 80 < (sender.seconds_until_due() or 0) <= 90, "a retry due in 90 s"
    with queue.begin() as conn:
        conn.execute(outbox.update().values(next_attempt_at=utc_now()))
    assert sender.send_due() == 1
    assert sender.seconds_until_due() is None, "a message sent is waited for no more"
