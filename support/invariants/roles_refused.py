"""Whoever's role lacks an operation's right is refused it, in whatever state the records are.

``features/tenancy/access.feature`` says which rights each role has, and its tour tries every operation by every
role once, on records of every kind each in one state. Here the rule holds for every operation a scenario's
people were let do: each request answered 2xx that needs a right (the pinned contract's
``x-required-permission``) is sent again as it was, at the scenario's last step, by a colleague of its company
whose role lacks that right (one the scenario signed in, else the persona of such a role, signed in for it; its
role asked of the platform first, since a scenario may have changed it). Each must be refused for want of the
right (403 ``forbidden``) and change none of the company's rows (``RowWatch``), whatever state the scenario left
the record in: a right checked only on some path through an operation (after a state is checked, or for some
amounts) is found where a scenario's state takes that path.

At the last step only: each refusal is a security event of the company's trail, which a later step may read. No
claim is made of a colleague whose session has ended (401), of an answer the platform could not give (5xx), of
a request throttled (429), nor of an input refused before anyone's rights are looked at (a 422
``validation_error``, a body too large or of another type), as ``strangers`` says. Each operation is tried once
a scenario for each company.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from support.clients.exchanges import HttpExchange, Recorder, json_or_none
from support.clients.paths import Tenancy
from support.clients.unrecorded import sent_by
from support.contract.pinned import right_needed
from support.invariants.strangers import REFUSED_AS_INPUT, SHOWN, error_code, sent_again, shape_of
from support.scenario.personas import PERSONAS, rights_of_roles

NO_CLAIM = frozenset({401, 429}) | REFUSED_AS_INPUT

# a colleague of a company (its id) for a right: the persona's name and a session token, one the scenario signed
# in first; None when none can be signed in
Colleague = Callable[[str, str], tuple[str, str] | None]


@dataclass
class Noted:
    """The requests that needed a right and were let through, first of each operation (by company), so far, each
    with the right it needed."""

    exchanges: dict[tuple[str, str, str], tuple[HttpExchange, str]] = field(default_factory=dict)


def noted_of(state: dict[str, object]) -> Noted:
    noted = state.setdefault("roles_refused", Noted())
    assert isinstance(noted, Noted)
    return noted


def note(recorder: Recorder, http: list[HttpExchange]) -> None:
    """Keeps, of ``http``, each first request of an operation needing a right that a company's person was let do."""
    noted = noted_of(recorder.state)
    for exchange in http:
        if exchange.company is None or not 200 <= exchange.status < 300:
            continue
        key = (exchange.company, exchange.method, shape_of(exchange.path))
        if key not in noted.exchanges:
            right = right_needed(exchange.method, exchange.path)
            if right is not None:
                noted.exchanges[key] = (exchange, right)


def lacking(right: str, but: str) -> list[str]:
    """The personas whose role lacks ``right`` (as the access feature gives the rights), but ``but``."""
    rights = rights_of_roles()
    return [name for name, role in PERSONAS.items() if name != but and right not in rights.get(role, set())]


def having(right: str, but: str) -> list[str]:
    """The personas whose role has ``right`` (as the access feature gives the rights), but ``but``."""
    rights = rights_of_roles()
    return [name for name, role in PERSONAS.items() if name != but and right in rights.get(role, set())]


def role_now(platform_url: str, token: str) -> str | None:
    """The role the platform gives the session's person now (None: it would not say)."""
    answer = sent_by(token, "colleagues", platform_url, "GET", Tenancy.ME)
    body = json_or_none(answer.text) if answer is not None and answer.status_code == 200 else None
    return body.get("role") if isinstance(body, dict) else None


def colleague_now(
    platform_url: str,
    colleague: Colleague,
    exchange: HttpExchange,
    right: str,
    *,
    having_it: bool,
    roles: dict[str, str | None],
) -> tuple[str, str, str] | None:
    """The first persona of the exchange's company but its caller whose role has ``right`` (``having_it``), or lacks
    it, as the platform gives their role now (a scenario may have changed it): their name, token and role; None
    when none can be signed in (``colleague`` signs one in). ``roles``: the roles already asked by session, kept
    for one round of attempts (whose requests, refused or sent again with their keys, change nobody's role)."""
    assert exchange.company is not None
    rights = rights_of_roles()
    for name in (having if having_it else lacking)(right, but=exchange.caller):
        found = colleague(exchange.company, name)
        if found is not None and found[1] not in roles:
            roles[found[1]] = role_now(platform_url, found[1])
        role = roles[found[1]] if found else None
        if found is not None and role is not None and (right in rights.get(role, set())) is having_it:
            return name, found[1], role
    return None


def attempts(recorder: Recorder, platform_url: str, colleague: Colleague) -> list[str]:
    """Every request noted, sent again by a colleague whose role lacks its right (``colleague``: signs one in)."""
    problems: list[str] = []
    roles: dict[str, str | None] = {}
    for exchange, right in noted_of(recorder.state).exchanges.values():
        found = colleague_now(platform_url, colleague, exchange, right, having_it=False, roles=roles)
        if found is None:
            continue
        name, token, role = found
        status, text = sent_again(exchange, platform_url, token)
        if verdict(status, text):
            problems.append(
                f"{name} ({role}, without the right {right}) was answered {status}, not 403, to"
                f" {exchange.caller}'s {exchange.method} {exchange.path} sent again as it was (an operation"
                f" needing a right is refused to every role without it, in every state; {exchange.caller} was"
                f" answered {exchange.status}): {text[:SHOWN]}"
            )
    return problems


def verdict(status: int, text: str) -> bool:
    """Whether the answer a colleague without the right was given is wrong (not refused for it, and a claim)."""
    code = error_code(text)
    no_claim = status >= 500 or status in NO_CLAIM or (status == 422 and code == "validation_error")
    return not no_claim and not (status == 403 and code == "forbidden")
