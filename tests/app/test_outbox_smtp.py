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
        with pytest.raises(outbox.Undeliverable, match="refused it for good"):
            smtp.send(_email("refused"))
        smtp.drop()
        smtp.send(_email("third"))
    assert [(s.sent, s.ended) for s in FakeServer.opened] == [(["first"], "closed"), (["third"], "quit")]


def test_a_batch_with_nothing_to_send_opens_no_connection():
    with outbox._SmtpSession("mail", 25):
        pass
    assert FakeServer.opened == []


class OneDueMessage:
    """A transaction of the outbox's sender that finds one message due, and keeps what the sender writes back."""

    def __init__(self) -> None:
        self.written: list[dict] = []
        self.message = {
            "id": "7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f",
            "to_address": "accounts@example.com",
            "subject": "Invoice 1",
            "body": "Due in 30 days",
            "attempts": 2,
            "about_a_void_invoice": False,
            "queued_by": None,
        }

    def __enter__(self) -> OneDueMessage:
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def begin(self) -> OneDueMessage:
        return self

    def execute(self, statement):
        if getattr(statement, "is_select", False):
            return type("Rows", (), {"mappings": lambda rows: type("All", (), {"all": lambda _: [self.message]})()})()
        if getattr(statement, "is_update", False):
            self.written.append(statement.compile().params)
        return None


@pytest.mark.parametrize(
    "failure", [ConnectionRefusedError("connection refused"), TimeoutError("timed out")], ids=["refused", "silent"]
)
def test_a_mail_server_away_costs_the_message_an_attempt_said_why_and_tried_again_later(monkeypatch, failure):
    def away(host: str, port: int, timeout: float) -> None:
        raise failure

    monkeypatch.setattr(outbox.smtplib, "SMTP", away)
    transaction = OneDueMessage()
    sender = outbox.OutboxSender(transaction, "smtp://mail:25", sender="billing@platform")  # type: ignore[arg-type]
    assert sender.send_due() == 0
    [written] = transaction.written
    assert written["attempts"] == 3
    assert str(failure) in written["last_error"]
    assert written["next_attempt_at"] > outbox.utc_now(), "tried again later, not at once"


def test_a_failure_past_500_characters_is_kept_to_its_first_500(monkeypatch):
    def away(host: str, port: int, timeout: float) -> None:
        raise ConnectionRefusedError("x" * 600)

    monkeypatch.setattr(outbox.smtplib, "SMTP", away)
    transaction = OneDueMessage()
    outbox.OutboxSender(transaction, "smtp://mail:25", sender="billing@platform").send_due()  # type: ignore[arg-type]
    assert transaction.written[0]["last_error"] == "x" * 500


@pytest.mark.parametrize(("jitter", "seconds"), [(0.0, 30.0), (0.25, 37.5)], ids=["no jitter", "a quarter more"])
def test_a_message_failing_again_and_again_waits_30_seconds_between_attempts_and_at_most_a_quarter_more(
    monkeypatch, jitter, seconds
):
    monkeypatch.setattr(outbox.random, "uniform", lambda low, high: jitter)
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 6, 7, 20)] == [
        0.5 * (1 + jitter),
        1.0 * (1 + jitter),
        16.0 * (1 + jitter),
        seconds,
        seconds,
    ]


@pytest.mark.parametrize(
    ("url", "server"),
    [("smtp://mail.example", ("mail.example", 25)), ("smtp://:2525", ("127.0.0.1", 2525))],
    ids=["no port: SMTP's own", "no host: this machine"],
)
def test_a_mail_server_address_without_its_port_or_host_means_smtp_s_port_on_this_machine(monkeypatch, url, server):
    opened: list[tuple[str, int]] = []

    def server_at(host: str, port: int, timeout: float) -> FakeServer:
        opened.append((host, port))
        return FakeServer(host, port, timeout)

    monkeypatch.setattr(outbox.smtplib, "SMTP", server_at)
    outbox.OutboxSender(OneDueMessage(), url, sender="billing@platform").send_due()  # type: ignore[arg-type]
    assert opened == [server]


class DueMessages(OneDueMessage):
    """A transaction of the outbox's sender that finds these messages due, in this order."""

    def __init__(self, *messages: dict) -> None:
        super().__init__()
        self.due = [{**self.message, "attempts": 0, **message} for message in messages]

    def execute(self, statement):
        if getattr(statement, "is_select", False):
            return type("Rows", (), {"mappings": lambda rows: type("All", (), {"all": lambda _: self.due})()})()
        if getattr(statement, "is_update", False):
            self.written.append(statement.compile().params)
        return None


def _message(number: int, **fields: str) -> dict:
    return {"id": f"7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0{number}", "subject": f"Invoice {number}", **fields}


@pytest.mark.parametrize(
    ("odd", "why"),
    [
        ({"to_address": "a\u2028b@example.com"}, "cannot be written as an e-mail"),
        ({"to_address": "accounts@example.com, boss@example.com"}, "is not one e-mail address"),
        ({"to_address": "Boss <boss@example.com>"}, "is not one e-mail address"),
        ({"subject": "refused"}, "refused it for good"),
    ],
    ids=["a line separator in the address", "two addresses", "a display name", "refused for good (550)"],
)
def test_a_message_that_can_never_be_sent_is_set_aside_saying_why_and_the_others_of_its_batch_are_sent(odd, why):
    transaction = DueMessages(_message(1), _message(2, **odd), _message(3))
    sender = outbox.OutboxSender(transaction, "smtp://mail:25", sender="billing@platform")  # type: ignore[arg-type]
    assert sender.send_due() == 2
    assert [s for server in FakeServer.opened for s in server.sent] == ["Invoice 1", "Invoice 3"]
    set_aside, marked_sent = transaction.written
    assert (set_aside["status"], set_aside["attempts"], set_aside["id_1"]) == ("undeliverable", 1, _message(2)["id"])
    assert why in set_aside["last_error"]
    assert marked_sent["status"] == "sent", "the others are marked sent, not sent again at the next round"


def test_a_subject_is_one_line_whatever_line_separators_the_client_s_name_holds():
    transaction = DueMessages(_message(1, subject="Invoice 1 for Acme\u2028Corp\u2029Ltd\x85Inc"))
    outbox.OutboxSender(transaction, "smtp://mail:25", sender="billing@platform").send_due()  # type: ignore[arg-type]
    assert FakeServer.opened[0].sent == ["Invoice 1 for Acme Corp Ltd Inc"]


def test_a_server_refusing_for_now_costs_an_attempt_and_the_message_is_tried_again(monkeypatch):
    def busy(self, email: EmailMessage) -> None:
        raise smtplib.SMTPRecipientsRefused({email["To"]: (451, b"try again later")})

    monkeypatch.setattr(FakeServer, "send_message", busy)
    transaction = DueMessages(_message(1))
    assert outbox.OutboxSender(transaction, "smtp://mail:25", sender="billing@platform").send_due() == 0  # type: ignore[arg-type]
    [written] = transaction.written
    assert "status" not in written and written["attempts"] == 1, "still pending, one attempt spent"


def test_a_message_about_an_invoice_voided_since_it_was_queued_is_withdrawn_not_sent():
    """The void withdraws the messages no sender holds; one a sender held as the invoice was voided is found due
    again by a sender, which withdraws it rather than send an invoice that is void."""
    transaction = DueMessages(_message(1), _message(2, about_a_void_invoice=True), _message(3))
    sender = outbox.OutboxSender(transaction, "smtp://mail:25", sender="billing@platform")  # type: ignore[arg-type]
    assert sender.send_due() == 2
    assert [s for server in FakeServer.opened for s in server.sent] == ["Invoice 1", "Invoice 3"]
    withdrawn, marked_sent = transaction.written
    assert (withdrawn["status"], withdrawn["id_1"]) == ("withdrawn", [_message(2)["id"]])
    assert marked_sent["status"] == "sent"
