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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from support.clients.exchanges import HttpExchange, Recorder, json_or_none
from support.clients.row_watch import WRITTEN_BY_RUNS, changed_tables
from support.invariants.strangers import SHOWN, sent_again, shape_of

KEY = "idempotency-key"
DECLINED = 402  # a card the processor declined: its answer is kept under the key, as an acceptance is


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
    problems = []
    for exchange in filter(kept_under_its_key, http):
        key = (exchange.method, shape_of(exchange.path), exchange.status)
        token = token_of(exchange)
        if key in replayed.requests or token is None or exchange.company is None:
            continue
        replayed.requests.add(key)
        before = _rows(recorder, exchange.company)
        status, text = sent_again(exchange, platform_url, token, watched=False)
        if status == 401 or status >= 500:
            continue  # their session was ended, or the platform cannot answer now: no claim
        wrong = same_answer(exchange, status, text)
        after = _rows(recorder, exchange.company) if before is not None else None
        changed = changed_tables(before, after, WRITTEN_BY_RUNS) if before is not None and after is not None else []
        sent = f"{exchange.caller}'s {exchange.method} {exchange.path} sent again with its Idempotency-Key"
        if wrong:
            problems.append(
                f"{wrong}: {sent} (a request sent again with its key is told what it was told): {text[:SHOWN]}"
            )
        if changed:
            problems.append(f"Changed the company's {', '.join(changed)}: {sent} (a request is done once)")
    return problems


def _rows(recorder: Recorder, company: str) -> dict[str, dict[str, str]] | None:
    """The company's rows, when nothing else is being written (None: not compared)."""
    if recorder.fingerprint is None or recorder.writes_in_flight:
        return None
    try:
        return recorder.fingerprint(company)
    except Exception:  # the database cannot be read now (a scenario stopped it): no claim
        return None
