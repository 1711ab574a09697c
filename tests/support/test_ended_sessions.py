"""Nobody is let do anything over a session that has ended: which requests are kept for a scenario's end, which
are tried once a run, over which sessions, and which answers break the rule."""

from __future__ import annotations

import jwt
import pytest

from support.clients.exchanges import HttpExchange, SentRequest, start_recording, stop_recording
from support.invariants import ended_sessions
from support.invariants.ended_sessions import Tried
from tests.support.outsiders_platform import INVOICE, OTHER_INVOICE, platform_answering

SECRET = "a signing key of at least thirty-two bytes, for HS256"
LIVE = jwt.encode({"sub": "u1", "tid": "t1", "exp": 4_102_444_800}, SECRET, algorithm="HS256")
UNAUTHENTICATED = '{"error": {"code": "unauthenticated", "message": "signed out", "field": null}}'
PAID = '{"id": "p1", "amount": "10.00"}'


def _exchange(method: str, path: str, status: int = 201, *, company: str | None = "c1", caller: str = "Fiona"):
    request = SentRequest("", b'{"amount": "10.00"}', (("Idempotency-Key", "pay-1"),))
    return HttpExchange(method, path, caller, company, status, {}, PAID, "s", request)


@pytest.fixture
def recorder():
    yield start_recording()
    stop_recording()


class Sessions:
    """The sessions the check is given: one signed out for each person named, and the ones the scenario holds."""

    def __init__(self, signed_out: dict[str, str], held: dict[str, str]) -> None:
        self.signed_out, self.held = signed_out, held
        self.asked: list[tuple[str, str]] = []

    def ended(self, company: str, name: str) -> str | None:
        self.asked.append((company, name))
        return self.signed_out.get(name)

    def holds(self, company: str, name: str) -> str | None:
        return self.held.get(name)


def _attempts(recorder, sessions: Sessions, tried: Tried, *, signing_key: str | None = SECRET) -> list[str]:
    return ended_sessions.attempts(recorder, "http://platform", sessions.ended, signing_key, sessions.holds, tried)


@pytest.mark.parametrize(
    ("exchange", "kept"),
    [
        (_exchange("POST", f"/api/v1/invoices/{INVOICE}/payments"), True),
        (_exchange("GET", "/api/v1/me", 200), True),  # needs no right, only a session
        (_exchange("POST", f"/api/v1/invoices/{INVOICE}/payments", 409), False),  # not let through
        (_exchange("GET", "/api/v1/me", 401), False),
        (_exchange("POST", "/api/v1/auth/logout", 204), True),  # signing out, again
        (_exchange("POST", "/api/v1/auth/token", 200, company=None, caller="nobody signed in"), False),
        (_exchange("GET", "/openapi.json", 200), False),  # the platform's public document
        (_exchange("POST", "/api/v1/admin/tenants", 201, company=None, caller="the operator"), False),
    ],
)
def test_a_request_is_kept_when_a_company_s_person_was_let_do_it(recorder, exchange, kept):
    ended_sessions.note(recorder, [exchange], Tried())
    assert bool(ended_sessions.noted_of(recorder.state).exchanges) is kept


def test_each_operation_is_tried_once_a_run_whatever_record_or_company_it_names(recorder, monkeypatch):
    platform = platform_answering(monkeypatch, {"ended": (401, UNAUTHENTICATED)})
    sessions, tried = Sessions({"Fiona": "ended"}, {}), Tried()
    ended_sessions.note(recorder, [_exchange("POST", f"/api/v1/invoices/{INVOICE}/payments")], tried)
    ended_sessions.note(
        recorder, [_exchange("POST", f"/api/v1/invoices/{OTHER_INVOICE}/payments", company="c2")], tried
    )
    assert _attempts(recorder, sessions, tried, signing_key=None) == []
    assert [url for _, _, url, _, _ in platform.sent] == [f"http://platform/api/v1/invoices/{INVOICE}/payments"]

    ended_sessions.note(recorder, [_exchange("POST", f"/api/v1/invoices/{OTHER_INVOICE}/payments")], tried)
    assert _attempts(recorder, sessions, tried, signing_key=None) == []
    assert len(platform.sent) == 1, "the next scenario's payment is not tried again in this run"


def test_the_request_is_sent_again_as_it_was_by_its_person_signed_out_then_expired(recorder, monkeypatch):
    platform = platform_answering(monkeypatch, {"ended": (401, UNAUTHENTICATED)})
    platform.answers = _ExpiredToo(platform.answers)
    sessions = Sessions({"Fiona": "ended"}, {"Fiona": LIVE})
    ended_sessions.note(recorder, [_exchange("POST", f"/api/v1/invoices/{INVOICE}/payments")], Tried())
    assert _attempts(recorder, sessions, Tried()) == []
    assert sessions.asked == [("c1", "Fiona")]
    (signed_out, *_), (expired, method, url, body, headers) = platform.sent
    assert signed_out == "ended"
    assert (method, url, body, headers["Idempotency-Key"]) == (
        "POST",
        f"http://platform/api/v1/invoices/{INVOICE}/payments",
        b'{"amount": "10.00"}',
        "pay-1",
    )
    claims = jwt.decode(expired, SECRET, algorithms=["HS256"], options={"verify_exp": False})
    assert (claims["sub"], claims["tid"]) == ("u1", "t1"), "the person's own claims"
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(expired, SECRET, algorithms=["HS256"])


class _ExpiredToo(dict):
    """Answers any token it does not know as an ended session."""

    def __missing__(self, token: str) -> tuple[int, str]:
        return (401, UNAUTHENTICATED)


def test_a_person_who_cannot_be_signed_in_now_is_no_claim_and_the_operation_waits(recorder, monkeypatch):
    platform = platform_answering(monkeypatch, {})
    tried = Tried()
    ended_sessions.note(recorder, [_exchange("GET", "/api/v1/me", 200)], tried)
    assert _attempts(recorder, Sessions({}, {}), tried) == []
    assert platform.sent == [] and tried.operations == set(), "left for a later scenario to try"


@pytest.mark.parametrize(
    ("status", "text", "broken"),
    [
        (401, UNAUTHENTICATED, False),
        (429, "{}", False),
        (503, "{}", False),
        (200, PAID, True),  # let through
        (201, PAID, True),
        (403, '{"error": {"code": "forbidden", "message": "no", "field": null}}', True),  # as if it held
        (404, '{"error": {"code": "not_found", "message": "no", "field": null}}', True),
        (401, '{"error": {"code": "forbidden", "message": "?", "field": null}}', True),  # not told to sign in
    ],
)
def test_only_being_asked_to_sign_in_again_keeps_the_rule(recorder, monkeypatch, status, text, broken):
    platform_answering(monkeypatch, {"ended": (status, text)})
    ended_sessions.note(recorder, [_exchange("POST", f"/api/v1/invoices/{INVOICE}/payments")], Tried())
    found = _attempts(recorder, Sessions({"Fiona": "ended"}, {}), Tried(), signing_key=None)
    assert bool(found) is broken
    if broken:
        assert found[0].startswith(f"Fiona, over a session signed out, was answered {status}, not 401,")
        assert f"to their POST /api/v1/invoices/{INVOICE}/payments sent again as it was" in found[0]


def test_a_person_is_signed_in_and_out_once_for_all_their_operations(recorder, monkeypatch):
    platform_answering(monkeypatch, {"ended": (401, UNAUTHENTICATED)})
    sessions = Sessions({"Fiona": "ended", "Sam": "ended"}, {})
    exchanges = [
        _exchange("POST", f"/api/v1/invoices/{INVOICE}/payments"),
        _exchange("GET", "/api/v1/invoices", 200),
        _exchange("GET", "/api/v1/leads", 200, caller="Sam"),
    ]
    ended_sessions.note(recorder, exchanges, Tried())
    assert _attempts(recorder, sessions, Tried(), signing_key=None) == []
    assert sessions.asked == [("c1", "Fiona"), ("c1", "Sam")]
