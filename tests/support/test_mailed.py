"""The e-mails a company's clients received, held to the company's outbox (support/invariants/mailed.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from support.invariants.mailed import unfaithful

ROW_ID, OTHER_ID, INVOICE = (f"{n}1111111-2222-4333-8444-555555555555" for n in "abc")
GLOBEX = "accounts@globex.acme-1.example.com"
DOMAIN = "acme-1.example.com"


def _row(**changed: object) -> dict:
    row = {
        "id": ROW_ID,
        "to_address": GLOBEX,
        "status": "sent",
        "about_id": INVOICE,
        "total": Decimal("1210.00"),
        "currency": "EUR",
        "due_at": datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
        "contact_email": GLOBEX,
    }
    return {**row, **changed}


def _mail(**changed: object) -> dict:
    body = f"Dear Globex,\n\nplease find our invoice {INVOICE}.\nTotal: 1,210.00 EUR\nDue by: 2026-12-31\n"
    return {
        "to": [GLOBEX],
        "subject": "Invoice c1111111 for Globex",
        "message_id": f"<{ROW_ID}@platform>",
        "body": body,
        **changed,
    }


def test_an_email_as_its_invoice_says_once_is_faithful():
    assert unfaithful("acme-1", DOMAIN, [_mail()], [_row()]) == []
    assert unfaithful("acme-1", DOMAIN, [], [_row(status="pending")]) == [], "still on its way"
    assert unfaithful("acme-1", DOMAIN, [_mail()], [_row(status="pending")]) == [], "received, not yet marked sent"
    assert unfaithful("acme-1", DOMAIN, [_mail()], []) == [], "nothing queued: a company removed, no claim"


def test_the_due_day_is_read_in_utc_whatever_zone_the_database_answers_in():
    far_east = _row(due_at=datetime(2027, 1, 1, 13, 30, tzinfo=timezone(timedelta(hours=14))))
    assert unfaithful("acme-1", DOMAIN, [_mail()], [far_east]) == []


def test_an_email_twice_or_never_though_marked_sent_is_named():
    assert unfaithful("acme-1", DOMAIN, [_mail(), _mail()], [_row()]) == [
        f"an e-mail arrived 2 times: queued by acme-1 to {GLOBEX}"
    ]
    assert unfaithful("acme-1", DOMAIN, [], [_row()]) == [
        f"an e-mail marked sent never reached the mail server: queued by acme-1 to {GLOBEX}"
    ]
    assert unfaithful("acme-1", DOMAIN, [_mail(), _mail()], [_row()], at_least_once=True) == [], (
        "a server stopped by the harness: delivery is at least once"
    )
    elsewhere = _row(to_address="someone@elsewhere.example.org", contact_email="someone@elsewhere.example.org")
    assert unfaithful("acme-1", DOMAIN, [], [elsewhere]) == [], "an address the harness does not read: no claim"


def test_an_email_the_company_never_queued_is_named():
    stranger = _mail(message_id=f"<{OTHER_ID}@platform>")
    assert unfaithful("acme-1", DOMAIN, [stranger], [_row(status="pending")]) == [
        f"an e-mail nobody of acme-1 queued reached {GLOBEX}: 'Invoice c1111111 for Globex' (<{OTHER_ID}@platform>)"
    ]


def test_an_email_unlike_its_invoice_is_named():
    initech = "accounts@initech.acme-1.example.com"
    wrong = _mail(to=[initech], body=_mail()["body"].replace("1,210.00 EUR", "1,000.00 EUR"))
    assert unfaithful("acme-1", DOMAIN, [wrong], [_row()]) == [
        f"an e-mail went to {initech}: queued by acme-1 to {GLOBEX}",
        f"an invoice's e-mail does not say its total (1,210.00 EUR): invoice {INVOICE} of acme-1, to {GLOBEX}",
    ]
    queued_astray = _row(to_address=initech)
    assert unfaithful("acme-1", DOMAIN, [_mail(to=[initech])], [queued_astray]) == [
        f"an invoice's e-mail was queued to {initech}, where its client's address is {GLOBEX}: invoice {INVOICE} of"
        " acme-1"
    ]
    late = _mail(body=_mail()["body"].replace("2026-12-31", "2026-12-30"))
    assert unfaithful("acme-1", DOMAIN, [late], [_row()]) == [
        f"an invoice's e-mail does not say its due day (2026-12-31): invoice {INVOICE} of acme-1, to {GLOBEX}"
    ]
    assert unfaithful("acme-1", DOMAIN, [late], [_row()], dates_moved=True) == [], "dates the harness moved"
