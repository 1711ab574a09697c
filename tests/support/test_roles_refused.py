"""Whatever a person was let do that needs a right is refused to a colleague whose role lacks it: which requests
are kept for the scenario's end, who sends them again, and which answers break the rule."""

from __future__ import annotations

from typing import Any

import pytest

from support.clients.exchanges import HttpExchange, SentRequest, start_recording, stop_recording
from support.invariants import roles_refused
from support.scenario.personas import rights_of_roles
from tests.support.outsiders_platform import INVALID, INVOICE, OTHER_INVOICE, platform_answering

FORBIDDEN = '{"error": {"code": "forbidden", "message": "your role may not take payments", "field": null}}'
PAID = '{"id": "p1", "amount": "10.00"}'


def _exchange(method: str, path: str, status: int = 201, *, company: str | None = "c1", caller: str = "Fiona"):
    request = SentRequest("", b'{"amount": "10.00"}', (("Idempotency-Key", "pay-1"),))
    return HttpExchange(method, f"/api/v1{path}", caller, company, status, {}, PAID, "s", request)


@pytest.fixture
def recorder():
    yield start_recording()
    stop_recording()


class Roles:
    """Who the platform says each token's person is now (``role_now``), and the colleagues signed in by name."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, roles: dict[str, str]) -> None:
        self.roles = roles
        self.asked: list[tuple[str, str]] = []
        monkeypatch.setattr(roles_refused, "role_now", lambda url, token: self.roles.get(token))

    def colleague(self, company: str, name: str) -> tuple[str, str] | None:
        self.asked.append((company, name))
        return (name, f"token-{name}") if f"token-{name}" in self.roles else None


def test_the_access_feature_gives_each_role_its_rights():
    rights = rights_of_roles()
    assert "payments:write" in rights["finance"] and "payments:write" not in rights["sales"]
    assert set(rights) == {"owner", "sales", "finance", "compliance", "analyst"}


@pytest.mark.parametrize(
    ("exchange", "kept"),
    [
        (_exchange("POST", f"/invoices/{INVOICE}/payments"), True),
        (_exchange("GET", "/leads", 200), True),  # a read needing a right too
        (_exchange("POST", f"/invoices/{INVOICE}/payments", 409), False),  # not let through: nothing to try
        (_exchange("POST", f"/invoices/{INVOICE}/payments", 403), False),
        (_exchange("GET", "/me", 200), False),  # needs no right
        (_exchange("POST", f"/invoices/{INVOICE}/payments", company=None, caller="the operator"), False),
    ],
)
def test_a_request_is_kept_when_a_person_was_let_do_what_needs_a_right(recorder, exchange, kept):
    roles_refused.note(recorder, [exchange])
    assert bool(roles_refused.noted_of(recorder.state).exchanges) is kept


def test_each_operation_is_kept_once_a_company_whatever_record_it_names(recorder):
    first = _exchange("POST", f"/invoices/{INVOICE}/payments")
    roles_refused.note(recorder, [first, _exchange("POST", f"/invoices/{OTHER_INVOICE}/payments")])
    roles_refused.note(recorder, [_exchange("POST", f"/invoices/{INVOICE}/payments", company="c2")])
    assert next(iter(roles_refused.noted_of(recorder.state).exchanges.values())) == (first, "payments:write")
    assert len(roles_refused.noted_of(recorder.state).exchanges) == 2


def test_the_request_is_sent_again_as_it_was_by_the_first_colleague_without_the_right(recorder, monkeypatch):
    platform = platform_answering(monkeypatch, {"token-Olivia": (201, PAID), "token-Sam": (403, FORBIDDEN)})
    roles = Roles(monkeypatch, {"token-Sam": "sales", "token-Olivia": "owner"})
    roles_refused.note(recorder, [_exchange("POST", f"/invoices/{INVOICE}/payments")])
    assert roles_refused.attempts(recorder, "http://platform", roles.colleague) == []
    assert roles.asked == [("c1", "Sam")], "Olivia (an owner) has the right: never asked"
    [(token, method, url, body, headers)] = platform.sent
    assert (token, method, url, body, headers["Idempotency-Key"]) == (
        "token-Sam",
        "POST",
        f"http://platform/api/v1/invoices/{INVOICE}/payments",
        b'{"amount": "10.00"}',
        "pay-1",
    )


def test_a_colleague_given_the_right_by_the_scenario_is_passed_over_for_the_next(recorder, monkeypatch):
    platform = platform_answering(monkeypatch, {"token-Cleo": (403, FORBIDDEN)})
    roles = Roles(monkeypatch, {"token-Sam": "finance", "token-Cleo": "compliance"})
    roles_refused.note(recorder, [_exchange("POST", f"/invoices/{INVOICE}/payments")])
    assert roles_refused.attempts(recorder, "http://platform", roles.colleague) == []
    assert [sent[0] for sent in platform.sent] == ["token-Cleo"]


def test_nobody_without_the_right_signed_in_is_no_claim(recorder, monkeypatch):
    platform = platform_answering(monkeypatch, {})
    roles = Roles(monkeypatch, {})
    roles_refused.note(recorder, [_exchange("POST", f"/invoices/{INVOICE}/payments")])
    assert roles_refused.attempts(recorder, "http://platform", roles.colleague) == []
    assert platform.sent == []


@pytest.mark.parametrize(
    ("status", "text", "broken"),
    [
        (403, FORBIDDEN, False),
        (422, INVALID, False),  # the input refused before anyone's rights are looked at
        (401, "{}", False),
        (429, "{}", False),
        (503, "{}", False),
        (201, PAID, True),  # the kept answer given to someone without the right
        (409, '{"error": {"code": "invalid_state", "message": "paid", "field": null}}', True),  # the state first
        (404, '{"error": {"code": "not_found", "message": "no invoice", "field": null}}', True),
        (403, '{"error": {"code": "not_yours", "message": "?", "field": null}}', True),
    ],
)
def test_only_a_refusal_for_want_of_the_right_keeps_the_rule(recorder, monkeypatch, status, text, broken):
    platform_answering(monkeypatch, {"token-Sam": (status, text)})
    roles = Roles(monkeypatch, {"token-Sam": "sales"})
    roles_refused.note(recorder, [_exchange("POST", f"/invoices/{INVOICE}/payments")])
    found: list[Any] = roles_refused.attempts(recorder, "http://platform", roles.colleague)
    assert bool(found) is broken
    if broken:
        assert found[0].startswith(f"Sam (sales, without the right payments:write) was answered {status}, not 403,")
        assert f"to Fiona's POST /api/v1/invoices/{INVOICE}/payments sent again as it was" in found[0]
