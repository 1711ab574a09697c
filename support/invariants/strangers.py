"""Whoever else names a record by its id is told it does not exist.

A company's records are its own, and a person's conversations and notifications are theirs alone
(features/tenancy/ownership.feature says so of each action, a record in one state each). Here it holds for
every request of every scenario, whatever state the record is in: after each step, each request a company's
person sent naming a record in its address is sent again as it was (method, address, query, body, its
Idempotency-Key) by the owner of a company no scenario knows (the run's stranger, made once a run, who may do
anything in their own company) and, for a person's own things, by a colleague the scenario has signed in. Each
is told the record does not exist (404), and the company's rows do not change (``RowWatch``).

A write a person had accepted that names a record of their company in its body (a ticket for a client, an
invoice for a project, a lead from a campaign), with no record in its address, is sent again as it was by the
stranger too: told it does not exist (404), naming the field of the body that held it.

No claim is made of an input refused before any record is looked up (a 422 ``validation_error``, a body
too large or of another type: refused alike to anyone), nor of an answer the platform could not give (5xx: a scenario stopped a service), nor of a
request answered 401, 404 or 5xx the first time. The stranger's session ended by a scenario (its keys
rotated) is opened again, once. Each operation is tried once a scenario for each answer its person had (a
payment taken and one refused; a conversation read and one archived): a scenario of 300 journeys tries each
operation as often as a scenario of one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import requests

from support.clients.exchanges import HttpExchange, Recorder, current, json_or_none
from support.clients.paths import API_PREFIX, OWN_THINGS, Operations, Tenancy
from support.clients.row_watch import RowWatch
from support.clients.unrecorded import session_for
from support.invariants import answers
from support.invariants.isolation import RECORD_ID
from support.invariants.references import NAMED_IN
from support.scenario.builders import email_for
from support.scenario.personas import OWNER_PERSONA
from support.scenario.tenants import Inspectors, Tenant

RECORD_IN_ADDRESS = re.compile(r"/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(/|$)")
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
NO_CLAIM_FIRST = frozenset({401, 404})  # answered so the first time, an attempt tells nothing
SHOWN = 300
STRANGER = "the owner of another company"
REFUSED_AS_INPUT = frozenset({405, 413, 415})  # no such method, a body too large, a body of another type
TIMEOUT_S = 15.0


@dataclass
class Stranger:
    """The owner of a company no scenario knows, signed in; ``sign_in`` opens a new session."""

    sign_in: Callable[[], str]
    token: str = ""

    def __post_init__(self) -> None:
        self.token = self.token or self.sign_in()

    def signed_in_again(self) -> bool:
        try:
            self.token = self.sign_in()
        except Exception:  # the platform cannot sign anyone in now (a scenario stopped it): no claim
            return False
        return True


def made_for_the_run(inspectors: Inspectors) -> Stranger | None:
    """The run's stranger, in a company made for it (None: no operator's key to make one with)."""
    config = inspectors.config
    if not config.admin_key or not config.platform_url:
        return None
    company = Tenant.provision(config, "a stranger to every scenario")
    inspectors.companies_made.append(company.id)
    email = email_for(OWNER_PERSONA, company.slug)
    return Stranger(
        stranger_sign_in(config.platform_url, company.slug, email, company.passwords[OWNER_PERSONA]),
    )


def stranger_sign_in(platform_url: str, company_slug: str, email: str, password: str) -> Callable[[], str]:
    """How the stranger signs in: over a session of its own, recorded nowhere (it is nobody's exchange)."""

    def sign_in() -> str:
        answer = session_for("strangers", platform_url).post(
            platform_url.rstrip("/") + API_PREFIX + Tenancy.SIGN_IN,
            json={"tenant": company_slug, "email": email, "password": password},
            timeout=TIMEOUT_S,
        )
        answer.raise_for_status()
        return str(answer.json()["access_token"])

    return sign_in


def worth_trying(exchange: HttpExchange) -> bool:
    """A company's person named a record in the address, and the answer said something of it."""
    return (
        exchange.company is not None
        and exchange.method in METHODS
        and RECORD_IN_ADDRESS.search(exchange.path) is not None
        and not exchange.path.startswith(Operations.OUTSIDE_TENANCY)
        and exchange.status not in NO_CLAIM_FIRST
        and exchange.status < 500
    )


def named_in_body(exchange: HttpExchange) -> list[str]:
    """The fields of an accepted write's body that name a record of its company, when its address names none."""
    if (
        exchange.company is None
        or exchange.method not in ("POST", "PUT", "PATCH")
        or not 200 <= exchange.status < 300
        or RECORD_IN_ADDRESS.search(exchange.path) is not None
        or exchange.path.startswith(Operations.OUTSIDE_TENANCY)
    ):
        return []
    body = json_or_none((exchange.request.body or b"").decode(errors="replace"))
    if not isinstance(body, dict):
        return []
    return sorted(
        name
        for name, value in body.items()
        if name in NAMED_IN and isinstance(value, str) and RECORD_ID.fullmatch(value.lower())
    )


def verdict_of_body(fields: list[str], status: int, text: str) -> str | None:
    """What is wrong with the answer an outsider was given for a body naming records of ``fields`` (None: told it
    does not exist, naming one of them; or no claim)."""
    if status >= 500:
        return None
    if status != 404:
        return f"was answered {status}, not 404"
    body = json_or_none(text)
    error = body.get("error") if isinstance(body, dict) else None
    named = error.get("field") if isinstance(error, dict) else None
    if named in fields:
        return None
    return f"was told 404 naming {named or 'no field'}, not {' or '.join(fields)} (the field naming what it cannot see)"


def shape_of(path: str) -> str:
    """The address with each record's id in it as ``{id}``: the operation it names."""
    return RECORD_IN_ADDRESS.sub(r"/{id}\1", path)


def owned_by_its_person(exchange: HttpExchange) -> bool:
    return exchange.path.startswith(OWN_THINGS)


def verdict(first: HttpExchange, status: int, text: str) -> str | None:
    """What is wrong with the answer an outsider was given (None: told it does not exist, or no claim)."""
    if status == 404 or status >= 500:
        return None
    if status == first.status and (
        status in REFUSED_AS_INPUT or (status == 422 and error_code(text) == "validation_error")
    ):
        return None  # the input is refused before any record is looked up, alike to anyone
    return f"was answered {status}"


def error_code(text: str) -> str | None:
    """The code an answer's error names (None: not an error of the platform's shape)."""
    body = json_or_none(text)
    error = body.get("error") if isinstance(body, dict) else None
    return error.get("code") if isinstance(error, dict) else None


@dataclass
class Tried:
    """What outsiders have tried so far in the scenario: each operation once for each answer its person had."""

    requests: set[tuple[str, str, str, int]] = field(default_factory=set)  # who, method, address's shape, answer


def tried_of(state: dict[str, object]) -> Tried:
    tried = state.setdefault("strangers", Tried())
    assert isinstance(tried, Tried)
    return tried


def attempts(
    recorder: Recorder,
    http: list[HttpExchange],
    platform_url: str,
    stranger: Stranger | None,
    colleague_of: Callable[[HttpExchange], tuple[str, str] | None],
) -> list[str]:
    """Each request of ``http`` worth trying, sent again by the stranger and, for a person's own things, by a
    colleague (``colleague_of``: their name and token, None when the scenario signed in nobody else)."""
    tried = tried_of(recorder.state)
    problems = []
    for exchange in http if stranger is not None else []:
        fields = named_in_body(exchange)
        key = (STRANGER, exchange.method, f"{exchange.path} naming {', '.join(fields)}", exchange.status)
        if not fields or key in tried.requests:
            continue
        tried.requests.add(key)
        status, text = sent_again(exchange, platform_url, stranger.token)
        if status == 401 and stranger.signed_in_again():
            status, text = sent_again(exchange, platform_url, stranger.token)
        wrong = None if status == 401 else verdict_of_body(fields, status, text)
        if wrong:
            problems.append(
                f"{STRANGER[0].upper()}{STRANGER[1:]} {wrong}, to {exchange.caller}'s {exchange.method} {exchange.path}"
                f" sent again as it was, its {', '.join(fields)} naming a record of {exchange.caller}'s company"
                f" ({exchange.caller} was answered {exchange.status}): {text[:SHOWN]}"
            )
    for exchange in filter(worth_trying, http):
        outsiders: list[tuple[str, str]] = []
        if stranger is not None:
            outsiders.append((STRANGER, stranger.token))
        colleague = colleague_of(exchange) if owned_by_its_person(exchange) else None
        if colleague is not None:
            outsiders.append((f"{colleague[0]} (a colleague of {exchange.caller})", colleague[1]))
        for who, token in outsiders:
            key = (who, exchange.method, shape_of(exchange.path), exchange.status)
            if key in tried.requests:
                continue
            tried.requests.add(key)
            status, text = sent_again(exchange, platform_url, token)
            if status == 401 and who == STRANGER and stranger is not None and stranger.signed_in_again():
                status, text = sent_again(exchange, platform_url, stranger.token)
            if status == 401:
                continue  # their session could not be opened again: no claim
            wrong = verdict(exchange, status, text)
            if wrong:
                problems.append(
                    f"{who[0].upper()}{who[1:]} {wrong}, not 404, to {exchange.caller}'s {exchange.method}"
                    f" {exchange.path} sent again as it was (a record is told to exist only to those it belongs to;"
                    f" {exchange.caller} was answered {exchange.status}): {text[:SHOWN]}"
                )
    return problems


def sent_again(
    exchange: HttpExchange,
    platform_url: str,
    token: str,
    *,
    watched: bool = True,
    path: str | None = None,
    body: bytes | None = None,
) -> tuple[int, str]:
    """The request as it was, with ``token`` (599: no answer came), to ``path`` and with ``body`` when given;
    ``watched``: its company's rows watched around it, as around any request a person sends (``RowWatch``). Its
    answer is held to the rules of every answer that do not read what the scenario's people were shown
    (``answers.whoever_asked``), as a person's is: what it breaks is filed with the scenario's problems."""
    path = path or exchange.path
    body = exchange.request.body if body is None else body
    query = f"?{exchange.request.query}" if exchange.request.query else ""
    headers = {**dict(exchange.request.headers), "Authorization": f"Bearer {token}"}
    watch = RowWatch(exchange.company if watched else None, exchange.method, path)
    try:
        answer = session_for("strangers", platform_url).request(
            exchange.method, platform_url.rstrip("/") + path + query, data=body, headers=headers, timeout=TIMEOUT_S
        )
    except requests.RequestException:
        watch.answered(599)
        return 599, ""
    watch.answered(answer.status_code, sent=(body or b"").decode(errors="replace"), said=answer.text)
    again = replace(exchange, path=path, status=answer.status_code, headers=_lower(answer.headers), text=answer.text)
    _file(f"the answer to {exchange.method} {path} sent again by the checks ({answer.status_code})", again)
    return answer.status_code, answer.text


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _file(what: str, answer: HttpExchange) -> None:
    """Files with the running scenario's problems each rule of every answer that ``answer`` breaks."""
    recorder = current()
    if recorder is not None:
        rules = answers.whoever_asked(recorder.keys)
        recorder.problems.extend(f"{what} {problem}" for rule in rules for problem in rule(answer))
