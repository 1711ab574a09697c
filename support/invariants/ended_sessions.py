"""Nobody is let do anything over a session that has ended.

features/tenancy/access.feature asks a session signed out, expired, tampered with or signed with another key to
sign in again, at one address (who am I). Here it holds for every operation of the run: at a scenario's last step,
each request a company's person was let do (2xx) of an operation no scenario of this run has had tried is sent again
as it was by the same person, over a session of theirs that has been signed out (signed in anew for it, then out)
and, when the run has the platform's signing key, with their claims in a token that expired a minute ago. Each must
be asked to sign in again (401 ``unauthenticated``) and change none of the company's rows (``RowWatch``): a route
that checks a session on a path of its own (its signature, but not whether it was signed out, or not its expiry) is
found wherever a scenario uses it.

Once a run for each operation (method and address's shape): a session is checked before any record is looked at,
so another state of the record would tell nothing more. At the last step only: signing in and out is in the
person's security trail, which a scenario may read. Signing out is tried too: a session that has ended is not
signed out again into the trail. No claim when the person cannot be signed in and out now (removed, their company
removed, the platform stopped), nor of an answer the platform could not give (5xx) or a request throttled (429).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from support.clients.exchanges import HttpExchange, Recorder
from support.clients.paths import API_PREFIX, Tenancy
from support.clients.session_tokens import expired
from support.clients.unrecorded import sent_by
from support.invariants.strangers import SHOWN, error_code, sent_again, shape_of, stranger_sign_in

NO_CLAIM = frozenset({429})
SIGNED_OUT = "signed out"
EXPIRED = "expired a minute ago"

# a session of a company's (id) person (name) that has ended: its token; None when none can be had now
EndedSession = Callable[[str, str], str | None]


@dataclass
class Noted:
    """Of the scenario so far: each operation a company's person was let do, first of each (not yet tried)."""

    exchanges: dict[tuple[str, str], HttpExchange] = field(default_factory=dict)


@dataclass
class Tried:
    """The operations tried over ended sessions in this run (method, address's shape)."""

    operations: set[tuple[str, str]] = field(default_factory=set)


RUN = Tried()  # one behave process is one run


def noted_of(state: dict[str, object]) -> Noted:
    noted = state.setdefault("ended_sessions", Noted())
    assert isinstance(noted, Noted)
    return noted


def note(recorder: Recorder, http: list[HttpExchange], tried: Tried = RUN) -> None:
    """Keeps, of ``http``, each first request of an operation not yet tried that a company's person was let do."""
    noted = noted_of(recorder.state)
    for exchange in http:
        if exchange.company is None or not 200 <= exchange.status < 300:
            continue
        if not exchange.path.startswith(API_PREFIX):
            continue  # the platform's public documents
        key = (exchange.method, shape_of(exchange.path))
        if key not in tried.operations:
            noted.exchanges.setdefault(key, exchange)


def attempts(
    recorder: Recorder,
    platform_url: str,
    signed_out: EndedSession,
    signing_key: str | None,
    claims_of: Callable[[str, str], str | None],
    tried: Tried = RUN,
) -> list[str]:
    """Every request noted, sent again by its person over a session signed out (``signed_out``: signs one in and
    out) and, with the platform's ``signing_key``, with their claims (``claims_of``: a token of theirs) expired."""
    problems: list[str] = []
    ended: dict[tuple[str, str], str | None] = {}  # one session signed out a person, for all their operations
    for key, exchange in noted_of(recorder.state).exchanges.items():
        if key in tried.operations:
            continue
        assert exchange.company is not None
        person = (exchange.company, exchange.caller)
        if person not in ended:
            ended[person] = signed_out(*person)
        sessions: list[tuple[str, str]] = []
        if (token := ended[person]) is not None:
            sessions.append((SIGNED_OUT, token))
        if signing_key and (live := claims_of(exchange.company, exchange.caller)) is not None:
            sessions.append((EXPIRED, expired(live, signing_key)))
        if sessions:
            tried.operations.add(key)
        for how, token in sessions:
            status, text = sent_again(exchange, platform_url, token)
            if verdict(status, text):
                problems.append(
                    f"{exchange.caller}, over a session {how}, was answered {status}, not 401, to their"
                    f" {exchange.method} {exchange.path} sent again as it was (a session that has ended does nothing:"
                    f" its person is asked to sign in again; they were answered {exchange.status} while it was"
                    f" open): {text[:SHOWN]}"
                )
    noted_of(recorder.state).exchanges.clear()
    return problems


def verdict(status: int, text: str) -> bool:
    """Whether the answer to a session that has ended is wrong (not asked to sign in again, and a claim)."""
    if status >= 500 or status in NO_CLAIM:
        return False
    return not (status == 401 and error_code(text) == "unauthenticated")


def signed_in_and_out(platform_url: str, company_slug: str, email: str, password: str) -> str | None:
    """A session of the person signed in anew, then signed out: its token (None: they cannot be, now)."""
    try:
        token = stranger_sign_in(platform_url, company_slug, email, password)()
    except requests.RequestException:
        return None
    ended = sent_by(token, "strangers", platform_url, "POST", Tenancy.SIGN_OUT)
    return token if ended is not None and 200 <= ended.status_code < 300 else None
