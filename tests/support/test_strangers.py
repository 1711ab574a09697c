"""Whatever a company's person asks of a record by its id, an outsider sending it again is told it does not exist:
which requests are tried, by whom, how often, and which answers break the rule."""

from __future__ import annotations

from typing import Any

import pytest

from support.clients.exchanges import HttpExchange, SentRequest, start_recording, stop_recording
from support.invariants import strangers
from tests.support.outsiders_platform import INVALID, INVOICE, OTHER_INVOICE, FakePlatform, platform_answering

NOT_FOUND = '{"error": {"code": "not_found", "message": "invoice not found", "field": null}}'


def _exchange(method: str, path: str, status: int = 200, *, company: str | None = "c1", caller: str = "Fiona"):
    request = SentRequest("limit=5", b'{"reason": "wrong"}', (("Content-Type", "application/json"),))
    return HttpExchange(method, f"/api/v1{path}", caller, company, status, {}, "{}", "s", request)


@pytest.fixture
def recorder():
    yield start_recording()
    stop_recording()


def _platform(monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any]) -> FakePlatform:
    return platform_answering(monkeypatch, answers)


def _stranger(tokens: list[str]) -> strangers.Stranger:
    return strangers.Stranger(lambda: tokens.pop(0))


def nobody_else(exchange: HttpExchange) -> None:  # no colleague signed in
    return None


@pytest.mark.parametrize(
    ("exchange", "tried"),
    [
        (_exchange("POST", f"/invoices/{INVOICE}/void"), True),
        (_exchange("GET", f"/invoices/{INVOICE}"), True),
        (_exchange("GET", f"/invoices/{INVOICE}", 409), True),
        (_exchange("GET", "/invoices"), False),  # a list names no record
        (_exchange("GET", f"/invoices/{INVOICE}", 404), False),  # not there for its own person either
        (_exchange("GET", f"/invoices/{INVOICE}", 401), False),
        (_exchange("GET", f"/invoices/{INVOICE}", 503), False),
        (_exchange("DELETE", f"/admin/tenants/{INVOICE}", company=None, caller="the operator"), False),
        (_exchange("HEAD", f"/invoices/{INVOICE}"), False),
    ],
)
def test_a_request_is_tried_by_outsiders_when_a_person_named_a_record_and_was_answered(exchange, tried) -> None:
    assert strangers.worth_trying(exchange) is tried


@pytest.mark.parametrize(
    ("first", "status", "text", "kept"),
    [
        (200, 404, NOT_FOUND, True),
        (200, 200, "{}", False),
        (409, 409, '{"error": {"code": "invalid_state"}}', False),  # the record's state told to an outsider
        (200, 403, '{"error": {"code": "forbidden"}}', False),  # the stranger may do anything: 403 tells it exists
        (422, 422, INVALID, True),  # refused as input, before any record is looked up
        (422, 422, '{"error": {"code": "overpayment"}}', False),  # refused by what the record holds
        (415, 415, "{}", True),
        (200, 503, "{}", True),  # the platform could not answer: no claim
    ],
)
def test_an_outsider_must_be_told_the_record_does_not_exist(first, status, text, kept) -> None:
    wrong = strangers.verdict(_exchange("POST", f"/invoices/{INVOICE}/void", first), status, text)
    assert (wrong is None) is kept


def test_the_stranger_sends_the_request_as_it_was_and_a_wrong_answer_is_named(monkeypatch, recorder) -> None:
    platform = _platform(monkeypatch, {"stranger": (409, '{"error": {"code": "invalid_state"}}')})
    problems = strangers.attempts(
        recorder,
        [_exchange("POST", f"/invoices/{INVOICE}/void")],
        "http://platform",
        _stranger(["stranger"]),
        nobody_else,
    )
    token, method, url, body, headers = platform.sent[0]
    assert (token, method, url, body) == (
        "stranger",
        "POST",
        f"http://platform/api/v1/invoices/{INVOICE}/void?limit=5",
        b'{"reason": "wrong"}',
    )
    assert headers["Content-Type"] == "application/json"
    assert problems == [
        f"The owner of another company was answered 409, not 404, to Fiona's POST /api/v1/invoices/{INVOICE}/void"
        " sent again as it was (a record is told to exist only to those it belongs to; Fiona was answered 200):"
        ' {"error": {"code": "invalid_state"}}'
    ]


def test_each_operation_is_tried_once_for_each_answer_its_person_had(monkeypatch, recorder) -> None:
    platform = _platform(monkeypatch, {"stranger": (404, NOT_FOUND)})
    stranger = _stranger(["stranger"])
    http = [
        _exchange("GET", f"/invoices/{INVOICE}"),
        _exchange("GET", f"/invoices/{OTHER_INVOICE}"),  # the same operation, the same answer
        _exchange("POST", f"/invoices/{INVOICE}/void"),
        _exchange("POST", f"/invoices/{INVOICE}/void", 409),  # the same operation, refused the second time
    ]
    assert strangers.attempts(recorder, http, "http://platform", stranger, nobody_else) == []
    assert strangers.attempts(recorder, http[:1], "http://platform", stranger, nobody_else) == []  # a later step
    assert [(method, url.split("/api/v1")[1]) for _, method, url, _, _ in platform.sent] == [
        ("GET", f"/invoices/{INVOICE}?limit=5"),
        ("POST", f"/invoices/{INVOICE}/void?limit=5"),
        ("POST", f"/invoices/{INVOICE}/void?limit=5"),
    ]


def test_a_persons_own_things_are_tried_by_a_colleague_too(monkeypatch, recorder) -> None:
    platform = _platform(monkeypatch, {"stranger": (404, NOT_FOUND), "olivia": (200, "{}")})
    problems = strangers.attempts(
        recorder,
        [_exchange("GET", f"/assistant/threads/{INVOICE}", caller="Sam"), _exchange("GET", f"/invoices/{INVOICE}")],
        "http://platform",
        _stranger(["stranger"]),
        lambda exchange: ("Olivia", "olivia"),
    )
    assert [token for token, *_ in platform.sent] == ["stranger", "olivia", "stranger"]
    assert len(problems) == 1
    assert problems[0].startswith(
        f"Olivia (a colleague of Sam) was answered 200, not 404, to Sam's GET /api/v1/assistant/threads/{INVOICE}"
    )


def test_a_stranger_whose_session_ended_signs_in_again_once(monkeypatch, recorder) -> None:
    platform = _platform(monkeypatch, {"old": (401, "{}"), "new": (404, NOT_FOUND)})
    stranger = _stranger(["old", "new"])
    assert (
        strangers.attempts(recorder, [_exchange("GET", f"/invoices/{INVOICE}")], "http://p", stranger, nobody_else)
        == []
    )
    assert [token for token, *_ in platform.sent] == ["old", "new"]
    assert stranger.token == "new"


def test_a_stranger_who_cannot_sign_in_again_makes_no_claim(monkeypatch, recorder) -> None:
    _platform(monkeypatch, {"old": (401, "{}")})

    def sign_in() -> str:
        raise ConnectionError("the platform is stopped")

    stranger = strangers.Stranger(sign_in, token="old")
    assert (
        strangers.attempts(recorder, [_exchange("GET", f"/invoices/{INVOICE}")], "http://p", stranger, nobody_else)
        == []
    )


PROTECTED = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Content-Type": "application/json",
}


@pytest.mark.parametrize(
    ("headers", "text", "broken"),
    [
        (PROTECTED, NOT_FOUND, []),
        ({**PROTECTED, "X-Content-Type-Options": ""}, NOT_FOUND, ["has no x-content-type-options: nosniff"]),
        (
            PROTECTED,
            "not found",
            [
                "refuses (404) without a JSON error",
                "is not the JSON the contract describes for GET /api/v1/invoices/{invoice_id} 404",
            ],
        ),
    ],
)
def test_the_answer_to_a_request_sent_again_is_held_to_the_rules_of_every_answer(
    monkeypatch, recorder, headers, text, broken
) -> None:
    """An outsider's answer is one the platform gives too: a refusal off the main path with no protective header,
    or not in the error shape, is found where no scenario's person is ever refused."""
    platform = _platform(monkeypatch, {"stranger-1": (404, text)})
    platform.headers = headers
    assert (
        strangers.attempts(
            recorder, [_exchange("GET", f"/invoices/{INVOICE}")], "http://p", _stranger(["stranger-1"]), nobody_else
        )
        == []
    )
    said = f"the answer to GET /api/v1/invoices/{INVOICE} sent again by the checks (404)"
    assert recorder.problems == [f"{said} {problem}" for problem in broken]


def test_the_answer_to_a_request_sent_again_shows_none_of_the_platforms_keys(monkeypatch, recorder) -> None:
    """The platform's keys the run knows (its admin key, its signing key) are secrets in the checks' own answers
    as in every other: a refusal that echoes one is found where no scenario's person is ever refused."""
    recorder.keys = ("admin-key-of-the-run",)
    leaking = '{"error": {"code": "not_found", "message": "no invoice here (admin-key-of-the-run)"}}'
    platform = _platform(monkeypatch, {"stranger-1": (404, leaking)})
    platform.headers = PROTECTED
    strangers.attempts(
        recorder, [_exchange("GET", f"/invoices/{INVOICE}")], "http://p", _stranger(["stranger-1"]), nobody_else
    )
    said = f"the answer to GET /api/v1/invoices/{INVOICE} sent again by the checks (404)"
    assert recorder.problems == [f"{said} shows one of the platform's keys"]


CLIENT = "a1111111-2222-4333-8444-555555555555"


def _asked_with(body: str, path: str = "/tickets", status: int = 201, method: str = "POST") -> HttpExchange:
    request = SentRequest("", body.encode(), (("Content-Type", "application/json"),))
    return HttpExchange(method, f"/api/v1{path}", "Sam", "c1", status, {}, "{}", "s", request)


def test_a_write_naming_a_record_in_its_body_is_tried_by_the_stranger() -> None:
    assert strangers.named_in_body(_asked_with(f'{{"client_id": "{CLIENT}", "subject": "Help"}}')) == ["client_id"]
    assert strangers.named_in_body(_asked_with(f'{{"client_id": "{CLIENT.upper()}"}}')) == ["client_id"]
    assert strangers.named_in_body(_asked_with('{"client_id": "not-a-record", "subject": "Help"}')) == []
    assert strangers.named_in_body(_asked_with(f'{{"client_id": "{CLIENT}"}}', status=409)) == [], "refused"
    assert strangers.named_in_body(_asked_with(f'{{"thread": "{CLIENT}"}}')) == [], "no field naming a record"
    in_address = _asked_with(f'{{"client_id": "{CLIENT}"}}', path=f"/tickets/{CLIENT}/answer")
    assert strangers.named_in_body(in_address) == [], "tried already for the record in its address"
    assert strangers.named_in_body(_asked_with(f'{{"client_id": "{CLIENT}"}}', method="GET", status=200)) == []


def test_the_stranger_must_be_told_the_record_does_not_exist_naming_its_field() -> None:
    told = '{"error": {"code": "not_found", "message": "client not found", "field": "client_id"}}'
    assert strangers.verdict_of_body(["client_id"], 404, told) is None
    assert strangers.verdict_of_body(["client_id"], 503, "") is None, "the platform could not answer: no claim"
    assert strangers.verdict_of_body(["client_id"], 201, "{}") == "was answered 201, not 404"
    assert strangers.verdict_of_body(["client_id"], 404, NOT_FOUND) == (
        "was told 404 naming no field, not client_id (the field naming what it cannot see)"
    )


def test_the_stranger_sends_a_write_naming_a_record_in_its_body_once(monkeypatch, recorder) -> None:
    told = '{"error": {"code": "not_found", "message": "client not found", "field": null}}'
    platform = _platform(monkeypatch, {"s1": (404, told)})
    asked = _asked_with(f'{{"client_id": "{CLIENT}", "subject": "Help"}}')
    found = strangers.attempts(recorder, [asked, asked], "http://platform", _stranger(["s1"]), nobody_else)
    assert found == [
        "The owner of another company was told 404 naming no field, not client_id (the field naming what it cannot"
        " see), to Sam's POST /api/v1/tickets sent again as it was, its client_id naming a record of Sam's company"
        f" (Sam was answered 201): {told}"
    ]
    assert [(token, method, url) for token, method, url, *_ in platform.sent] == [
        ("s1", "POST", "http://platform/api/v1/tickets")
    ], "once a scenario"
