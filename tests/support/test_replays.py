"""A request sent again with its Idempotency-Key is answered as the first time and changes nothing: which requests
are sent again, and which answers break the rule."""

from __future__ import annotations

import pytest

from support.clients.exchanges import HttpExchange, SentRequest, start_recording, stop_recording
from support.invariants import replays, roles_refused
from tests.support.outsiders_platform import FakePlatform, platform_answering

INVOICE = "0b6f5c1e-2d3a-4c5b-8e9f-0a1b2c3d4e5f"
OTHER_INVOICE = "7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f"
PAID = '{"id": "p1", "amount": "10.00"}'
KEYED = (("Content-Type", "application/json"), ("Idempotency-Key", "k1"))
REUSED = (422, '{"error": {"code": "idempotency_key_reused", "message": "used", "field": "Idempotency-Key"}}')


def _payment(status: int = 201, text: str = PAID, *, headers=KEYED, invoice: str = INVOICE) -> HttpExchange:
    request = SentRequest("", b'{"amount": "10.00", "card_token": "tok_visa"}', headers)
    return HttpExchange("POST", f"/api/v1/invoices/{invoice}/payments", "Fiona", "c1", status, {}, text, "s", request)


@pytest.fixture
def recorder():
    yield start_recording()
    stop_recording()


def _platform(monkeypatch: pytest.MonkeyPatch, *answers: tuple[int, str]) -> FakePlatform:
    return platform_answering(monkeypatch, {"fiona": list(answers)})


def fionas(exchange: HttpExchange) -> str:
    return "fiona"


@pytest.mark.parametrize(
    ("exchange", "sent_again"),
    [
        (_payment(201), True),
        (_payment(202), True),  # held for approval
        (_payment(402), True),  # a declined card: its answer is kept under the key
        (_payment(422), False),  # a refusal keeps nothing: asked again, it is weighed again
        (_payment(409), False),
        (_payment(201, headers=(("Content-Type", "application/json"),)), False),  # no key
    ],
)
def test_a_request_is_sent_again_when_its_answer_is_kept_under_its_key(exchange, sent_again) -> None:
    assert replays.kept_under_its_key(exchange) is sent_again


def test_the_request_goes_again_as_it_was_with_its_key_by_its_person(monkeypatch, recorder) -> None:
    platform = _platform(monkeypatch, (201, '{"amount": "10.00", "id": "p1"}'), REUSED)
    assert replays.replays(recorder, [_payment()], "http://platform", fionas) == []
    _, method, url, body, headers = platform.sent[0]
    assert (method, url, body) == (
        "POST",
        f"http://platform/api/v1/invoices/{INVOICE}/payments",
        b'{"amount": "10.00", "card_token": "tok_visa"}',
    )
    assert (headers["Idempotency-Key"], headers["Authorization"]) == ("k1", "Bearer fiona")


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ((201, '{"id": "p2", "amount": "10.00"}'), f"Answered 201 with another body than the first time ({PAID})"),
        ((409, '{"error": {"code": "invalid_state"}}'), "Answered 409 where it was answered 201 the first time"),
    ],
)
def test_another_answer_is_named(monkeypatch, recorder, answer, said) -> None:
    _platform(monkeypatch, answer, REUSED)
    problems = replays.replays(recorder, [_payment()], "http://platform", fionas)
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{said}: Fiona's POST /api/v1/invoices/{INVOICE}/payments sent again with its Idempotency-Key (a request sent"
        " again with its key is told what it was told)"
    )


def test_rows_changed_by_the_request_sent_again_are_named(monkeypatch, recorder) -> None:
    rows = {"payments": {"p1": "a"}}
    recorder.fingerprint = lambda company: {table: dict(found) for table, found in rows.items()}
    platform = _platform(monkeypatch, (201, PAID), REUSED)
    platform.on_send = lambda: rows["payments"].setdefault("p2", "b")  # the first time only
    problems = replays.replays(recorder, [_payment()], "http://platform", fionas)
    assert problems == [
        f"Changed the company's payments: Fiona's POST /api/v1/invoices/{INVOICE}/payments sent again with its"
        " Idempotency-Key (a request is done once)"
    ]


def test_each_operation_is_sent_again_once_for_each_answer_and_never_without_its_persons_session(
    monkeypatch, recorder
) -> None:
    platform = _platform(monkeypatch, (201, PAID), REUSED, REUSED, (402, "{}"), REUSED, REUSED)
    http = [_payment(), _payment(invoice=OTHER_INVOICE), _payment(402, "{}")]
    assert replays.replays(recorder, http, "http://platform", fionas) == []
    assert replays.replays(recorder, [_payment()], "http://platform", fionas) == []
    assert len(platform.sent) == 6, "each answer's request again, for a cent more, and on the other invoice"
    assert replays.replays(start_recording(), http, "http://platform", lambda exchange: None) == []
    assert len(platform.sent) == 6


def test_an_answer_the_platform_could_not_give_makes_no_claim(monkeypatch, recorder) -> None:
    _platform(monkeypatch, (503, "{}"))
    assert replays.replays(recorder, [_payment()], "http://platform", fionas) == []


def test_the_key_is_sent_for_a_cent_more_and_on_another_record_the_scenario_saw(monkeypatch, recorder) -> None:
    platform = _platform(monkeypatch, (201, PAID), REUSED, REUSED)
    seen = HttpExchange("GET", f"/api/v1/invoices/{OTHER_INVOICE}/payments", "Fiona", "c1", 200, {}, "[]", "s")
    assert replays.replays(recorder, [seen, _payment()], "http://platform", fionas) == []
    assert [(url, body) for _, _, url, body, _ in platform.sent[1:]] == [
        (f"http://platform/api/v1/invoices/{INVOICE}/payments", b'{"amount": "10.01", "card_token": "tok_visa"}'),
        (f"http://platform/api/v1/invoices/{OTHER_INVOICE}/payments", b'{"amount": "10.00", "card_token": "tok_visa"}'),
    ]
    assert all(headers["Idempotency-Key"] == "k1" for *_, headers in platform.sent)


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ((201, PAID), "Answered 201, not refused as idempotency_key_reused"),  # the first payment given back
        ((422, '{"error": {"code": "invoice_void"}}'), "Answered 422 invoice_void, not refused as"),
    ],
)
def test_a_key_honoured_for_another_request_is_named(monkeypatch, recorder, answer, said) -> None:
    _platform(monkeypatch, (201, PAID), answer)
    problems = replays.replays(recorder, [_payment()], "http://platform", fionas)
    assert len(problems) == 1
    assert (
        problems[0].startswith(f"{said}")
        and f"Fiona's POST /api/v1/invoices/{INVOICE}/payments sent with its Idempotency-Key for a cent more"
        in (problems[0])
    )


def test_rows_changed_by_a_reused_key_are_named(monkeypatch, recorder) -> None:
    rows: dict[str, dict[str, str]] = {"payments": {"p1": "a"}}
    recorder.fingerprint = lambda company: {table: dict(found) for table, found in rows.items()}
    platform = _platform(monkeypatch, (201, PAID), REUSED)
    platform.on_send = lambda: len(platform.sent) == 2 and rows["payments"].update(p2="b")
    problems = replays.replays(recorder, [_payment()], "http://platform", fionas)
    assert problems == [
        f"Changed the company's payments: Fiona's POST /api/v1/invoices/{INVOICE}/payments sent with its"
        " Idempotency-Key for a cent more (a reused key does nothing)"
    ]


def _kept_payment(monkeypatch, recorder, *answers) -> FakePlatform:
    """Fiona's payment kept under its key, then the platform answering Olivia with ``answers``."""
    platform = platform_answering(monkeypatch, {"fiona": [(201, PAID), REUSED], "olivia": list(answers)})
    assert replays.replays(recorder, [_payment()], "http://platform", fionas) == []
    return platform


def olivia(company: str, name: str) -> tuple[str, str] | None:
    return (name, name.lower()) if name == "Olivia" else None


def test_a_request_kept_under_its_key_is_sent_again_by_a_colleague_with_its_right(monkeypatch, recorder) -> None:
    platform = _kept_payment(monkeypatch, recorder, (201, PAID))
    monkeypatch.setattr(roles_refused, "role_now", lambda url, token: "owner")
    assert replays.by_colleagues(recorder, "http://platform", olivia) == []
    token, method, url, body, headers = platform.sent[-1]
    assert (token, method, url, body, headers["Idempotency-Key"]) == (
        "olivia",
        "POST",
        f"http://platform/api/v1/invoices/{INVOICE}/payments",
        b'{"amount": "10.00", "card_token": "tok_visa"}',
        "k1",
    )


def test_a_colleague_given_another_answer_for_the_companys_key_is_named(monkeypatch, recorder) -> None:
    _kept_payment(monkeypatch, recorder, (201, '{"id": "p2", "amount": "10.00"}'))
    monkeypatch.setattr(roles_refused, "role_now", lambda url, token: "owner")
    problems = replays.by_colleagues(recorder, "http://platform", olivia)
    assert problems == [
        f"Answered 201 with another body than the first time ({PAID}): Fiona's POST /api/v1/invoices/{INVOICE}/"
        "payments sent again with its Idempotency-Key by Olivia (owner, a colleague with the right payments:write)"
        " (a key is its company's: whoever of it sends the request again is told what it was told):"
        ' {"id": "p2", "amount": "10.00"}'
    ]


def test_no_colleague_with_the_right_now_makes_no_claim(monkeypatch, recorder) -> None:
    platform = _kept_payment(monkeypatch, recorder)
    monkeypatch.setattr(roles_refused, "role_now", lambda url, token: "sales")  # the scenario took the right away
    assert replays.by_colleagues(recorder, "http://platform", olivia) == []
    assert replays.by_colleagues(recorder, "http://platform", lambda company, name: None) == []
    assert all(token == "fiona" for token, *_ in platform.sent), "nobody without the right was sent it"
