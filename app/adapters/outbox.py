"""Mail goes through an outbox: written with the business change, sent later, never lost.

``OutboxRepository.enqueue`` runs inside the business transaction. ``OutboxSender``
claims due messages with ``FOR UPDATE SKIP LOCKED`` (so instances never send the
same one), sends them over SMTP while holding the claim, and marks them sent; a
failure leaves the message pending with exponential backoff and jitter. A message
that can never be sent as it stands (it cannot be written as an e-mail, or the
server refuses it for good) is set aside as undeliverable, saying why, and the person
whose action queued it is told (a notification, in the same transaction): one message
never holds up the others, nor has them sent again. Delivery is at least once: a
crash between the SMTP answer and the commit resends.
"""

from __future__ import annotations

import contextlib
import logging
import random
import smtplib
import uuid
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from email.utils import getaddresses
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import Connection, Engine, exists, func, insert, select, text, update

from app.adapters.notifications_repository import NotificationsRepository
from app.adapters.tables import invoices, outbox
from app.domain.clock import utc_now
from app.domain.records import NotificationRecord

log = logging.getLogger("app.outbox")
MAX_BACKOFF_SECONDS = 30.0


def backoff(attempts: int) -> timedelta:
    """0.5 s, 1 s, 2 s ... capped at 30 s, with up to 25 % jitter so instances do not retry in step."""
    base = min(0.5 * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS)
    return timedelta(seconds=base * (1 + random.uniform(0, 0.25)))


class OutboxRepository:
    def __init__(
        self,
        conn: Connection,
        company: uuid.UUID,
        *,
        queued: Callable[[], None] | None = None,
    ) -> None:
        """``queued``: told of each message queued (the unit of work wakes the sender once it commits)."""
        self._conn = conn
        self._company = company
        self._queued = queued

    def enqueue(
        self,
        *,
        to_address: str,
        subject: str,
        body: str,
        about: uuid.UUID | None = None,
        by: uuid.UUID | None = None,
    ) -> None:
        """Queues a message in the caller's transaction, about the record ``about`` names (if any), for the person
        ``by`` whose action queued it (told if it can never be delivered); the sender is woken once it commits."""
        if self._queued is not None:
            self._queued()
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
                about_id=about,
                queued_by=by,
                created_at=now,
            )
        )

    def withdraw(self, about: uuid.UUID) -> int:
        """Withdraws the messages about ``about`` that still wait (no longer true: an invoice voided); one a sender
        is trying at this moment is left to it: sent if its attempt succeeds, else withdrawn by the sender that
        next finds it due (``OutboxSender``). Returns how many were withdrawn here."""
        waiting = (
            select(outbox.c.id)
            .where(outbox.c.tenant_id == self._company, outbox.c.about_id == about, outbox.c.status == "pending")
            .with_for_update(skip_locked=True)
        )
        withdrawn = update(outbox).where(outbox.c.id.in_(waiting)).values(status="withdrawn")
        return self._conn.execute(withdrawn).rowcount


class OutboxSender:
    def __init__(
        self,
        engine: Engine,
        smtp_url: str,
        *,
        sender: str,
        batch: int = 10,
        pushed: Callable[[uuid.UUID, NotificationRecord], None] | None = None,
    ) -> None:
        """``pushed``: given each notification the sender stores (a mail set aside, told to whoever queued it)
        once it is committed, to push it to its person's open sockets."""
        parsed = urlparse(smtp_url)
        self._host, self._port = parsed.hostname or "127.0.0.1", parsed.port or 25
        self._engine = engine
        self._from = sender
        self._batch = batch
        self._pushed = pushed

    def send_due(self) -> int:
        """Sends what is due now, over one SMTP connection (a new one after a failure); returns how many were
        sent. Safe to run on every instance at once."""
        sent: list[uuid.UUID] = []
        told: list[tuple[uuid.UUID, NotificationRecord]] = []
        with self._engine.begin() as conn, _SmtpSession(self._host, self._port) as smtp:
            conn.execute(text("SELECT set_config('app.company', 'all', true)"))  # every company's mail
            due = (
                conn.execute(
                    select(outbox, _ABOUT_A_VOID_INVOICE)
                    .where(outbox.c.status == "pending", outbox.c.next_attempt_at <= utc_now())
                    .order_by(outbox.c.next_attempt_at, outbox.c.id)
                    .limit(self._batch)
                    .with_for_update(skip_locked=True)
                )
                .mappings()
                .all()
            )
            withdrawn: list[uuid.UUID] = []
            for message in due:
                if message["about_a_void_invoice"]:
                    withdrawn.append(message["id"])
                    continue
                try:
                    smtp.send(self._email(dict(message)))
                except Undeliverable as exc:
                    smtp.drop()
                    conn.execute(_set_aside(message, str(exc)))
                    log.warning("mail %s set aside as undeliverable: %s", message["id"], exc)
                    if message["queued_by"] is not None:
                        told.append((message["tenant_id"], _tell_undelivered(conn, dict(message), str(exc))))
                    continue
                except Exception as exc:  # the server away or refusing for now; anything else: tried again later
                    smtp.drop()  # in whatever state the failure left it: the next message opens a new one
                    attempts = message["attempts"] + 1
                    conn.execute(
                        update(outbox)
                        .where(outbox.c.id == message["id"])
                        .values(
                            attempts=attempts,
                            last_error=str(exc)[:500],
                            next_attempt_at=utc_now() + backoff(attempts),
                        )
                    )
                    if isinstance(exc, OSError | smtplib.SMTPException):
                        log.warning("mail %s not sent (attempt %d): %s", message["id"], attempts, exc)
                    else:
                        log.exception("mail %s not sent (attempt %d)", message["id"], attempts)
                    continue
                sent.append(message["id"])
            if withdrawn:
                conn.execute(update(outbox).where(outbox.c.id.in_(withdrawn)).values(status="withdrawn"))
            if sent:
                conn.execute(
                    update(outbox)
                    .where(outbox.c.id.in_(sent))
                    .values(status="sent", attempts=outbox.c.attempts + 1, sent_at=utc_now(), last_error=None)
                )
        if self._pushed is not None:
            for company, notification in told:
                self._pushed(company, notification)
        return len(sent)

    def seconds_until_due(self) -> float | None:
        """Seconds until the next mail waiting to be sent is due (0: due now); None when no mail waits."""
        with self._engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.company', 'all', true)"))  # every company's mail
            due = conn.execute(select(func.min(outbox.c.next_attempt_at)).where(outbox.c.status == "pending")).scalar()
        return None if due is None else max(0.0, (due - utc_now()).total_seconds())

    def _email(self, message: dict[str, Any]) -> EmailMessage:
        """The message as an e-mail. Raises Undeliverable when it cannot be one: its address is not one address,
        or a header cannot hold what it says. A subject is one line, whatever line separators its text holds
        (a client's name may hold U+2028)."""
        to = message["to_address"]
        if getaddresses([to]) != [("", to)]:
            raise Undeliverable(f"{to!r} is not one e-mail address")
        email = EmailMessage()
        try:
            email["From"], email["To"] = self._from, to
            email["Subject"] = " ".join(message["subject"].splitlines())
            email["Message-ID"] = f"<{message['id']}@platform>"
            email.set_content(message["body"])
        except ValueError as exc:
            raise Undeliverable(f"cannot be written as an e-mail: {exc}") from None
        return email


# Whether a message is about an invoice voided since it was queued: withdrawn by the sender that finds it due, not
# sent (the void withdraws the messages no sender holds; one a sender held as it was voided is found here).
_ABOUT_A_VOID_INVOICE = (
    exists().where(invoices.c.id == outbox.c.about_id, invoices.c.status == "void").label("about_a_void_invoice")
)


def _tell_undelivered(conn: Connection, message: dict[str, Any], why: str) -> NotificationRecord:
    """Stores, in the transaction that sets ``message`` aside, a notification to the person whose action queued
    it: which e-mail, to whom, and why it can never be delivered."""
    about = message["about_id"]
    what = f"invoice {str(about)[:8]}" if about is not None else f'"{message["subject"]}"'
    return NotificationsRepository(conn, message["tenant_id"]).add(
        message["queued_by"],
        kind="mail_undeliverable",
        text=f"The e-mail of {what} to {message['to_address']} could not be delivered: {why}"[:500],
        subject_type="invoice" if about is not None else "mail",
        subject_id=str(about if about is not None else message["id"]),
    )


class Undeliverable(Exception):
    """A message that can never be sent as it stands: set aside, not tried again."""


def _set_aside(message: Any, why: str) -> Any:
    return (
        update(outbox)
        .where(outbox.c.id == message["id"])
        .values(status="undeliverable", attempts=message["attempts"] + 1, last_error=why[:500])
    )


def _said(code: int, words: bytes | str) -> str:
    """A mail server's answer as it reads: "550 5.1.1 No such mailbox here"."""
    return f"{code} {words.decode(errors='replace') if isinstance(words, bytes) else words}"


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
        """Raises Undeliverable when the server refuses the message for good (a 5xx answer, or an address it
        cannot take); any other failure is the server's for now."""
        if self._smtp is None:
            self._smtp = smtplib.SMTP(self._host, self._port, timeout=5)
        try:
            self._smtp.send_message(email)
        except smtplib.SMTPNotSupportedError as exc:
            raise Undeliverable(f"the mail server cannot take it: {exc}") from None
        except smtplib.SMTPRecipientsRefused as exc:
            if all(code >= 500 for code, _ in exc.recipients.values()):
                said = "; ".join(_said(code, words) for code, words in exc.recipients.values())
                raise Undeliverable(f"the mail server refused it for good: {said}") from None
            raise
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code >= 500:
                raise Undeliverable(
                    f"the mail server refused it for good: {_said(exc.smtp_code, exc.smtp_error)}"
                ) from None
            raise

    def drop(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError):
                self._smtp.close()
        self._smtp = None
