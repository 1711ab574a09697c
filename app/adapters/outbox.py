"""Mail goes through an outbox: written with the business change, sent later, never lost.

``OutboxRepository.enqueue`` runs inside the business transaction. ``OutboxSender``
claims due messages with ``FOR UPDATE SKIP LOCKED`` (so instances never send the
same one), sends them over SMTP while holding the claim, and marks them sent; a
failure leaves the message pending with exponential backoff and jitter. Delivery
is at least once: a crash between the SMTP answer and the commit resends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import smtplib
import uuid
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import Connection, Engine, insert, select, text, update

from app.adapters.tables import outbox
from app.domain.clock import utc_now

log = logging.getLogger("app.outbox")
MAX_BACKOFF_SECONDS = 30.0


def backoff(attempts: int) -> timedelta:
    """0.5 s, 1 s, 2 s ... capped at 30 s, with up to 25 % jitter so instances do not retry in step."""
    base = min(0.5 * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS)
    return timedelta(seconds=base * (1 + random.uniform(0, 0.25)))


class MailWake:
    """Wakes this instance's sender when mail is queued here, so it need not poll often.

    ``ring`` may be called from any thread (the blocking routes commit in worker threads).
    """

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def ring(self) -> None:
        if self._loop is not None and self._event is not None:
            self._loop.call_soon_threadsafe(self._event.set)

    async def wait(self, timeout: float) -> None:
        """Returns when rung, or after ``timeout`` seconds."""
        if self._event is None:
            self._loop, self._event = asyncio.get_running_loop(), asyncio.Event()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout)
        self._event.clear()


class OutboxRepository:
    def __init__(
        self,
        conn: Connection,
        company: uuid.UUID,
        *,
        after_commit: list[Callable[[], None]] | None = None,
        wake: MailWake | None = None,
    ) -> None:
        self._conn = conn
        self._company = company
        self._after_commit = after_commit
        self._wake = wake

    def enqueue(self, *, to_address: str, subject: str, body: str) -> None:
        """Queues a message in the caller's transaction; the sender is woken once it commits."""
        if self._wake is not None and self._after_commit is not None:
            self._after_commit.append(self._wake.ring)
        now = utc_now()
        self._conn.execute(
            insert(outbox).values(
                id=uuid.uuid4(),
                tenant_id=self._company,
                to_address=to_address,
                subject=subject[:300],
                body=body,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )


class OutboxSender:
    def __init__(self, engine: Engine, smtp_url: str, *, sender: str, batch: int = 10) -> None:
        parsed = urlparse(smtp_url)
        self._host, self._port = parsed.hostname or "127.0.0.1", parsed.port or 25
        self._engine = engine
        self._from = sender
        self._batch = batch

    def send_due(self) -> int:
        """Sends what is due now, over one SMTP connection (a new one after a failure); returns how many were
        sent. Safe to run on every instance at once."""
        sent: list[uuid.UUID] = []
        with self._engine.begin() as conn, _SmtpSession(self._host, self._port) as smtp:
            conn.execute(text("SELECT set_config('app.company', 'all', true)"))  # every company's mail
            due = (
                conn.execute(
                    select(outbox)
                    .where(outbox.c.status == "pending", outbox.c.next_attempt_at <= utc_now())
                    .order_by(outbox.c.next_attempt_at, outbox.c.id)
                    .limit(self._batch)
                    .with_for_update(skip_locked=True)
                )
                .mappings()
                .all()
            )
            for message in due:
                try:
                    smtp.send(self._email(dict(message)))
                except (OSError, smtplib.SMTPException) as exc:
                    smtp.drop()  # in whatever state the failure left it: the next message opens a new one
                    attempts = message["attempts"] + 1
                    conn.execute(
                        update(outbox)
                        .where(outbox.c.id == message["id"])
                        .values(
                            attempts=attempts, last_error=str(exc)[:500], next_attempt_at=utc_now() + backoff(attempts)
                        )
                    )
                    log.warning("mail %s not sent (attempt %d): %s", message["id"], attempts, exc)
                    continue
                sent.append(message["id"])
            if sent:
                conn.execute(
                    update(outbox)
                    .where(outbox.c.id.in_(sent))
                    .values(status="sent", attempts=outbox.c.attempts + 1, sent_at=utc_now(), last_error=None)
                )
        return len(sent)

    def _email(self, message: dict[str, Any]) -> EmailMessage:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = self._from, message["to_address"], message["subject"]
        email["Message-ID"] = f"<{message['id']}@platform>"
        email.set_content(message["body"])
        return email


class _SmtpSession:
    """One SMTP connection, opened at the first message and again after a failure; closed quietly."""

    def __init__(self, host: str, port: int) -> None:
        self._host, self._port = host, port
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> _SmtpSession:
        return self

    def __exit__(self, *_: object) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
        self.drop()

    def send(self, email: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = smtplib.SMTP(self._host, self._port, timeout=5)
        self._smtp.send_message(email)

    def drop(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError):
                self._smtp.close()
        self._smtp = None
