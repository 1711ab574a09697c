"""A request sent again with its Idempotency-Key is answered as the first time, and changes nothing.

The writes that move money take an Idempotency-Key (Stripe's contract, docs/platform.md): a client that lost an
answer sends the request again and must be told what it was told, with nothing done twice. The scenarios written
for it send a payment and a refund again; here it holds for every such request of every scenario, whatever it was
about: a payment held for approval, a card declined, a refund of a refunded payment. After each step, each
request a person sent with a key whose answer the platform keeps under that key (an acceptance, a declined card)
is sent again as it was by the same person: its answer must be the first one (its status and its body), and the
company's rows must not change (that nothing was charged twice the books say at the scenario's end). Each
operation is tried once a scenario for each answer its person had; a request answered otherwise (a refusal
keeps nothing under the key, and asked again is weighed again) is not sent again.

The key names that one request and nothing else (``support/areas/billing/key_reuse.py``): the same key is sent
too for another amount (a cent more) and on another record of the same kind the scenario has seen in the
company (another invoice, another payment); each must be refused as the key's reuse
(``idempotency_key_reused``), with nothing changed. A key compared with part of its request only (the amount and
the card, not the invoice) is honoured for a request it never named.

A key is the company's, not its person's: at the scenario's last step each such request is sent again as it was
by a colleague whose role has its right (``by_colleagues``; signed in for it, the role asked of the platform
first), and must be told what the first person was told, with nothing changed (a key filed under its person
charges a card twice when a colleague retries what the first left unanswered). At the last step only: a sign-in
is a security event of the company's trail, which a later step may read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from support.clients.exchanges import HttpExchange, Recorder, json_or_none
from support.clients.row_watch import WRITTEN_BY_RUNS, changed_tables
from support.contract.pinned import right_needed
from support.invariants.roles_refused import Colleague, colleague_now
from support.invariants.strangers import SHOWN, error_code, sent_again, shape_of

KEY = "idempotency-key"
DECLINED = 402  # a card the processor declined: its answer is kept under the key, as an acceptance is
REUSED = "idempotency_key_reused"
CENT = Decimal("0.01")


def kept_under_its_key(exchange: HttpExchange) -> bool:
    """A person's request with a key, answered with what the platform keeps under it."""
    return (
        exchange.company is not None
        and any(name.lower() == KEY for name, _ in exchange.request.headers)
        and (200 <= exchange.status < 300 or exchange.status == DECLINED)
    )


def same_answer(first: HttpExchange, status: int, text: str) -> str | None:
    """What differs between the first answer and the one to the request sent again (None: nothing)."""
    if status != first.status:
        return f"Answered {status} where it was answered {first.status} the first time"
    if _parsed(text) != _parsed(first.text):
        return f"Answered {status} with another body than the first time ({first.text[:SHOWN]})"
    return None


def _parsed(text: str) -> object:
    """The body as JSON, or as its text when it is not JSON (so two bodies that are not JSON still compare)."""
    body = json_or_none(text)
    return text if body is None else body


@dataclass
class Replayed:
    """What was sent again so far in the scenario: each operation once for each answer its person had."""

    requests: set[tuple[str, str, int]] = field(default_factory=set)  # method, address's shape, first answer
    # the first request kept under its key of each operation and answer, with the right it needs (by_colleagues)
    kept: dict[tuple[str, str, int], tuple[HttpExchange, str]] = field(default_factory=dict)
    # each address a person of a company sent to, by the operation it names: (company, shape) -> addresses
    addresses: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def saw(self, exchange: HttpExchange) -> None:
        if exchange.company is None:
            return
        seen = self.addresses.setdefault((exchange.company, shape_of(exchange.path)), [])
        if exchange.path not in seen:
            seen.append(exchange.path)

    def another_address(self, exchange: HttpExchange) -> str | None:
        """An address of the same operation on another record of the company, seen in the scenario."""
        assert exchange.company is not None
        seen = self.addresses.get((exchange.company, shape_of(exchange.path)), [])
        return next((path for path in seen if path != exchange.path), None)


def replayed_of(state: dict[str, object]) -> Replayed:
    replayed = state.setdefault("replays", Replayed())
    assert isinstance(replayed, Replayed)
    return replayed


def replays(
    recorder: Recorder, http: list[HttpExchange], platform_url: str, token_of: Callable[[HttpExchange], str | None]
) -> list[str]:
    """Each request of ``http`` kept under its key, sent again by its person (``token_of``: their session, None
    when the scenario holds none of theirs)."""
    replayed = replayed_of(recorder.state)
    for exchange in http:
        replayed.saw(exchange)
    problems = []
    for exchange in filter(kept_under_its_key, http):
        key = (exchange.method, shape_of(exchange.path), exchange.status)
        token = token_of(exchange)
        if key in replayed.requests or token is None or exchange.company is None:
            continue
        replayed.requests.add(key)
        right = right_needed(exchange.method, exchange.path)
        if right is not None:
            replayed.kept[key] = (exchange, right)
        answered = _sent_watched(recorder, exchange, platform_url, token)
        if answered is None:
            continue
        status, text, changed = answered
        wrong = same_answer(exchange, status, text)
        sent = f"{exchange.caller}'s {exchange.method} {exchange.path} sent again with its Idempotency-Key"
        if wrong:
            problems.append(
                f"{wrong}: {sent} (a request sent again with its key is told what it was told): {text[:SHOWN]}"
            )
        if changed:
            problems.append(f"Changed the company's {', '.join(changed)}: {sent} (a request is done once)")
        problems += _reused(recorder, replayed, exchange, platform_url, token)
    return problems


def by_colleagues(recorder: Recorder, platform_url: str, colleague: Colleague) -> list[str]:
    """Each request kept under its key so far, sent again as it was by a colleague whose role has its right
    (``colleague``: signs in a persona of a company): told what its person was told, nothing changed."""
    problems: list[str] = []
    roles: dict[str, str | None] = {}
    for exchange, right in replayed_of(recorder.state).kept.values():
        assert exchange.company is not None
        found = colleague_now(platform_url, colleague, exchange, right, having_it=True, roles=roles)
        if found is None:
            continue  # nobody with the right can be signed in now: no claim
        name, token, role = found
        answered = _sent_watched(recorder, exchange, platform_url, token)
        if answered is None:
            continue
        status, text, changed = answered
        sent = (
            f"{exchange.caller}'s {exchange.method} {exchange.path} sent again with its Idempotency-Key by {name}"
            f" ({role}, a colleague with the right {right})"
        )
        wrong = same_answer(exchange, status, text)
        if wrong:
            problems.append(
                f"{wrong}: {sent} (a key is its company's: whoever of it sends the request again is told what"
                f" it was told): {text[:SHOWN]}"
            )
        if changed:
            problems.append(f"Changed the company's {', '.join(changed)}: {sent} (a request is done once)")
    return problems


def _reused(recorder: Recorder, replayed: Replayed, exchange: HttpExchange, platform_url: str, token: str) -> list[str]:
    """The request's key sent for another amount and on another record: each refused as reused, nothing changed."""
    assert exchange.company is not None
    tries: list[tuple[str, str, bytes | None]] = []  # what changed, the address, the body
    body = json_or_none((exchange.request.body or b"").decode(errors="replace"))
    if isinstance(body, dict) and isinstance(body.get("amount"), str):
        try:
            more = {**body, "amount": f"{Decimal(body['amount']) + CENT}"}
            tries.append(("for a cent more", exchange.path, json.dumps(more).encode()))
        except InvalidOperation:
            pass
    elsewhere = replayed.another_address(exchange)
    if elsewhere is not None:
        tries.append((f"on {elsewhere}", elsewhere, None))
    problems = []
    for how, path, sent_body in tries:
        answered = _sent_watched(recorder, exchange, platform_url, token, path=path, body=sent_body)
        if answered is None:
            continue
        status, text, changed = answered
        sent = f"{exchange.caller}'s {exchange.method} {exchange.path} sent with its Idempotency-Key {how}"
        code = error_code(text)
        if status != 422 or code != REUSED:
            problems.append(
                f"Answered {status}{f' {code}' if code else ''}, not refused as {REUSED}: {sent} (a key names one"
                f" request, and is refused on any other): {text[:SHOWN]}"
            )
        if changed:
            problems.append(f"Changed the company's {', '.join(changed)}: {sent} (a reused key does nothing)")
    return problems


def _sent_watched(
    recorder: Recorder,
    exchange: HttpExchange,
    platform_url: str,
    token: str,
    *,
    path: str | None = None,
    body: bytes | None = None,
) -> tuple[int, str, list[str]] | None:
    """The request sent again with ``token`` (``sent_again``): its status, its text and the company's tables it
    changed; None when no claim can be made (their session was ended, or the platform cannot answer now)."""
    assert exchange.company is not None
    before = _rows(recorder, exchange.company)
    status, text = sent_again(exchange, platform_url, token, watched=False, path=path, body=body)
    if status == 401 or status >= 500:
        return None
    after = _rows(recorder, exchange.company) if before is not None else None
    changed = changed_tables(before, after, WRITTEN_BY_RUNS) if before is not None and after is not None else []
    return status, text, changed


def _rows(recorder: Recorder, company: str) -> dict[str, dict[str, str]] | None:
    """The company's rows, when nothing else is being written (None: not compared)."""
    if recorder.fingerprint is None or recorder.writes_in_flight:
        return None
    try:
        return recorder.fingerprint(company)
    except Exception:  # the database cannot be read now (a scenario stopped it): no claim
        return None
