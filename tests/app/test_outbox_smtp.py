"""The outbox's sender speaks to the mail server over one connection per batch, and a failure costs only that
connection: the next message opens a new one."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import ClassVar

import pytest

from app.adapters import outbox


class FakeServer:
    opened: ClassVar[list[FakeServer]] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.sent: list[str] = []
        self.ended = ""
        FakeServer.opened.append(self)

    def send_message(self, email: EmailMessage) -> None:
        if email["Subject"] == "refused":
            raise smtplib.SMTPRecipientsRefused({email["To"]: (550, b"no such mailbox")})
        self.sent.append(email["Subject"])

    def quit(self) -> None:
        self.ended = "quit"

    def close(self) -> None:
        self.ended = self.ended or "closed"


def _email(subject: str) -> EmailMessage:
    email = EmailMessage()
    email["To"], email["Subject"] = "someone@example.com", subject
    return email


@pytest.fixture(autouse=True)
def fake_server(monkeypatch):
    FakeServer.opened = []
    monkeypatch.setattr(outbox.smtplib, "SMTP", FakeServer)


def test_every_message_of_a_batch_goes_over_one_connection_closed_politely_at_the_end():
    with outbox._SmtpSession("mail", 25) as smtp:
        for subject in ("first", "second", "third"):
            smtp.send(_email(subject))
    assert [(s.sent, s.ended) for s in FakeServer.opened] == [(["first", "second", "third"], "quit")]


def test_a_message_refused_leaves_its_connection_and_the_next_message_opens_a_new_one():
    with outbox._SmtpSession("mail", 25) as smtp:
        smtp.send(_email("first"))
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            smtp.send(_email("refused"))
        smtp.drop()
        smtp.send(_email("third"))
    assert [(s.sent, s.ended) for s in FakeServer.opened] == [(["first"], "closed"), (["third"], "quit")]


def test_a_batch_with_nothing_to_send_opens_no_connection():
    with outbox._SmtpSession("mail", 25):
        pass
    assert FakeServer.opened == []
