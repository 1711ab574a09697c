"""An e-mail the mail server refuses for good is set aside, and the person whose action queued it is told: a
notification stored in the transaction that sets it aside, pushed to their open sockets once it is committed.

The sender works on a database of its own (the platform's tables, one company and its person), so the stack's own
senders and other tests' mail stay out of it.
"""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select

from app.adapters import outbox as outbox_module
from app.adapters.tables import notifications, outbox, tenants, users
from app.domain.clock import utc_now
from tests.app.database_of_its_own import database_of_its_own

NOWHERE = "accounts@globex.invalid"


@pytest.fixture
def queue(stack) -> Iterator[Engine]:
    with database_of_its_own(stack.env["DATABASE_URL"], "told") as made:
        yield made


@pytest.fixture(autouse=True)
def mail_server(monkeypatch) -> None:
    """A mail server without the mailbox NOWHERE names: refused for good (550); any other taken."""

    class Server:
        def __init__(self, host: str, port: int, timeout: float) -> None:
            pass

        def send_message(self, email) -> None:
            if email["To"] == NOWHERE:
                raise smtplib.SMTPRecipientsRefused({NOWHERE: (550, b"5.1.1 No such mailbox here")})

        def quit(self) -> None:
            pass

        def close(self) -> None:
            pass

    monkeypatch.setattr(outbox_module.smtplib, "SMTP", Server)


def _company_with_mail(queue: Engine, *, to: str, queued_by_fiona: bool = True) -> tuple[uuid.UUID, uuid.UUID]:
    """A company, its person Fiona, and one e-mail due about an invoice, queued by her (or by nobody): (company,
    Fiona)."""
    company, fiona, now = uuid.uuid4(), uuid.uuid4(), utc_now()
    with queue.begin() as conn:
        conn.execute(
            insert(tenants).values(
                id=company, name="Mail", slug=f"mail-{company.hex[:8]}", audit_seq=0, audit_head="0", created_at=now
            )
        )
        conn.execute(
            insert(users).values(
                id=fiona,
                tenant_id=company,
                email="fiona@mail.example",
                name="Fiona",
                role="finance",
                password_hash="x",
                commission_rate=0,
                created_at=now,
            )
        )
        conn.execute(
            insert(outbox).values(
                id=uuid.uuid4(),
                tenant_id=company,
                to_address=to,
                subject="Invoice 1a2b3c4d for Globex",
                body="Due",
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
                about_id=uuid.UUID("1a2b3c4d-0000-4000-8000-000000000000"),
                queued_by=fiona if queued_by_fiona else None,
            )
        )
    return company, fiona


def _told(queue: Engine) -> list[dict[str, Any]]:
    with queue.connect() as conn:
        return [dict(row) for row in conn.execute(select(notifications)).mappings()]


def test_mail_refused_for_good_is_told_to_whoever_queued_it_stored_then_pushed(queue):
    company, fiona = _company_with_mail(queue, to=NOWHERE)
    pushed: list[tuple[uuid.UUID, dict[str, Any], int]] = []

    def push(to_company: uuid.UUID, notification: dict[str, Any]) -> None:
        pushed.append((to_company, notification, len(_told(queue))))  # what another connection sees by then

    sender = outbox_module.OutboxSender(queue, "smtp://mail:25", sender="billing@platform", pushed=push)
    assert sender.send_due() == 0
    [told] = _told(queue)
    assert (told["tenant_id"], told["user_id"], told["kind"], told["read"]) == (
        company,
        fiona,
        "mail_undeliverable",
        False,
    )
    assert (told["subject_type"], told["subject_id"]) == ("invoice", "1a2b3c4d-0000-4000-8000-000000000000")
    assert told["text"] == (
        f"The e-mail of invoice 1a2b3c4d to {NOWHERE} could not be delivered: the mail server refused it for good:"
        " 550 5.1.1 No such mailbox here"
    ), "which invoice, to whom, and the server's own words, not a Python repr"
    [(to_company, notification, stored_by_then)] = pushed
    assert (to_company, notification["id"]) == (company, told["id"])
    assert stored_by_then == 1, "pushed once committed: a person told follows it to a notification that is there"
    with queue.connect() as conn:
        assert conn.execute(select(outbox.c.status, outbox.c.attempts)).one() == ("undeliverable", 1)


def test_mail_sent_or_queued_by_nobody_tells_nobody(queue):
    _company_with_mail(queue, to="accounts@globex.example")
    _company_with_mail(queue, to=NOWHERE, queued_by_fiona=False)  # queued before anyone was named for it
    pushed: list[Any] = []
    sender = outbox_module.OutboxSender(
        queue, "smtp://mail:25", sender="billing@platform", pushed=lambda *told: pushed.append(told)
    )
    assert sender.send_due() == 1
    assert (_told(queue), pushed) == ([], []), "a mail delivered, or refused with nobody named, is told to nobody"
