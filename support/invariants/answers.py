"""What holds for every HTTP answer of the platform, whatever the scenario: protective headers, the error
shape, no server failure, no secret.

Pure checks over a recorded exchange; each returns its problems in a reviewer's words (empty: kept).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from support.clients.exchanges import HttpExchange, json_or_none
from support.clients.paths import API_PREFIX, Compliance, Tenancy
from support.contract import pinned
from support.invariants import values

PROTECTIVE = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
}
PASSWORD_HASH = re.compile(r"pbkdf2_sha256\$")
CARD_TOKEN = re.compile(r"\btok_[A-Za-z0-9_]+")
ACCESS_TOKEN = re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
SIGN_IN = API_PREFIX + Tenancy.SIGN_IN
# An operator's backup of a company holds its people's password hashes, as a database dump would: its restore
# must let them sign in again. Answered only with the admin key; no other answer may show one.
BACKUP = re.compile(re.escape(API_PREFIX + Tenancy.backup("{id}")).replace(re.escape("{id}"), "[^/]+") + "$")


def protective_headers(exchange: HttpExchange) -> list[str]:
    """Every answer says nosniff, may not be framed and sends no referrer; an API answer is never stored."""
    problems = [
        f"has no {name}: {wanted}"
        for name, wanted in PROTECTIVE.items()
        if wanted not in exchange.headers.get(name, "")
    ]
    if exchange.path.startswith(API_PREFIX) and "no-store" not in exchange.headers.get("cache-control", ""):
        problems.append("may be stored by a cache (no cache-control: no-store)")
    return problems


def says_what_its_body_is(exchange: HttpExchange) -> list[str]:
    """An answer with a body names its media type, and a body in JSON is named so: a client (or a browser, with
    nosniff) reads a body by the type it is given, not by guessing."""
    if not exchange.text or exchange.method == "HEAD":
        return []
    named = exchange.headers.get("content-type", "")
    if not named:
        return ["has a body but does not say what it is (no content-type)"]
    if "json" not in named and json_or_none(exchange.text) is not None and exchange.text.lstrip()[:1] in "{[":
        return [f"is JSON named {named!r}"]
    return []


def error_shape(exchange: HttpExchange) -> list[str]:
    """A refusal is a JSON error naming its code and saying what was wrong (a 422 names the field, and the list of
    every field wrong, when it gives one, starts with that one); the platform never answers 500."""
    if exchange.status < 400 or exchange.method == "HEAD":
        return []
    if exchange.status == 500:
        return ["is a server failure (500) where a refusal or an answer was due"]
    try:
        body = json.loads(exchange.text)
    except ValueError:
        return [f"refuses ({exchange.status}) without a JSON error"]
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("code"), str) or not error.get("message"):
        return [f"refuses ({exchange.status}) without an error code and message"]
    if exchange.status == 422 and not error.get("field"):
        return ["refuses the input (422) without naming the field that is wrong"]
    listed = error.get("fields")
    if listed is not None and (
        not isinstance(listed, list)
        or not listed
        or not isinstance(listed[0], dict)
        or listed[0].get("field") != error["field"]
    ):
        return [
            f"lists what was wrong ({str(listed)[:120]}) starting elsewhere than the field it names ({error.get('field')!r})"
        ]
    return []


# The refusals whose status means one thing to every client, whatever the platform: a 401 tells it to sign its
# person in again, a 402 that a card was declined (Stripe's contract), a 403 that the role lacks the right, a 404
# that no such record is there. Each such status goes with its code alone, and each such code with its status.
MEANT_BY = {401: "unauthenticated", 402: "payment_declined", 403: "forbidden", 404: "not_found"}
MEANING_OF = {
    401: "asks the client to sign its person in again",
    402: "says a card was declined",
    403: "says the role lacks the right",
    404: "says no such record is there",
}


def status_says_what_the_code_says(exchange: HttpExchange) -> list[str]:
    """A refusal's status and its code say the same: a declined card answered 401 has its client sign the person
    out, a session that ended answered 403 leaves them signed in to nothing."""
    if exchange.status < 400 or exchange.method == "HEAD":
        return []
    body = json_or_none(exchange.text)
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    if not isinstance(code, str):
        return []  # error_shape says so
    meant = MEANT_BY.get(exchange.status)
    if meant is not None and code != meant:
        return [f"refuses with {exchange.status}, which {MEANING_OF[exchange.status]}, for {code} (only {meant} is)"]
    status = next((status for status, said in MEANT_BY.items() if said == code), None)
    if status is not None and exchange.status != status:
        return [f"refuses for {code} with {exchange.status}, where {status} says it ({MEANING_OF[status]})"]
    return []


def no_secrets(secrets: tuple[str, ...]) -> Callable[[HttpExchange], list[str]]:
    """No answer holds a password hash, a card token, the platform's keys, or an access token other than the
    one a sign-in hands its own caller."""

    def check(exchange: HttpExchange) -> list[str]:
        return secrets_shown(
            exchange.text,
            secrets,
            hashes_kept=bool(BACKUP.match(exchange.path)),
            hands_a_token=exchange.path == SIGN_IN,
        )

    return check


def secrets_shown(
    text: str, secrets: tuple[str, ...], *, hashes_kept: bool = False, hands_a_token: bool = False
) -> list[str]:
    """What of a secret ``text`` shows (an answer's or a frame's): ``hashes_kept`` for a company's backup (its
    people's password hashes are its to restore), ``hands_a_token`` for a sign-in (the caller's own token)."""
    problems = []
    if PASSWORD_HASH.search(text) and not hashes_kept:
        problems.append("shows a password hash")
    if found := CARD_TOKEN.search(text):
        problems.append(f"shows a card token ({found.group()[:12]}…)")
    if ACCESS_TOKEN.search(text) and not hands_a_token:
        problems.append("shows an access token")
    problems += ["shows one of the platform's keys" for secret in secrets if secret and secret in text]
    return problems


# What each kind of entry of the audit trail says besides who, what and when (its ``data``): the keys it always
# holds, a value possibly empty (a deal won without a campaign, a backup that did not say when it was taken).
# An entry without one of them cannot answer the question it is kept for (how much, why, from where, by whom).
ENTRY_DATA = {
    "lead_captured": ("company", "amount", "currency", "campaign"),
    "lead_disqualified": ("reason",),
    "lead_converted": ("lead_id",),
    "deal_moved": ("stage",),
    "deal_won": ("amount", "currency", "campaign"),
    "deal_lost": ("reason",),
    "project_opened": ("opportunity_id",),
    "invoice_drafted": ("total",),
    "invoice_issued": ("total",),
    "invoice_voided": ("reason",),
    "payment_received": ("invoice_id", "amount", "currency"),
    "payment_declined": ("amount", "currency"),
    "refund_issued": ("payment_id", "amount", "currency"),
    "commission_earned": ("user_id", "amount", "currency"),
    "commission_reversed": ("user_id", "amount", "currency"),
    "campaign_started": ("amount", "currency"),
    "approval_requested": ("subject", "amount", "currency"),
    "approval_rejected": ("reason",),
    "task_created": ("project_id", "by", "asked_by"),
    "company_restored": ("rows", "taken_at"),
    "tenant_created": ("slug",),
    "user_added": ("role",),
    "role_changed": ("from", "to"),
    "signed_in": ("source",),
    "sign_in_failed": ("source",),
    "access_denied": ("permission", "operation"),
    "assistant_tool_refused": ("tool", "reason", "field", "arguments", "tool_call_id"),
}


def entries_say_what_they_must(exchange: HttpExchange) -> list[str]:
    """Each entry of the audit trail holds what its kind says (``ENTRY_DATA``)."""

    def lacking(entry: dict[str, Any]) -> str:
        data = entry.get("data") or {}
        return ", ".join(key for key in ENTRY_DATA.get(entry.get("action", ""), ()) if key not in data)

    return _entries_without(exchange, lacking)


def money_and_moments_alike(exchange: HttpExchange) -> list[str]:
    """Every amount in an answer a decimal string with two places, every moment a time in UTC (``values``)."""
    return values.misshapen(exchange.text) if exchange.status < 400 and exchange.path.startswith(API_PREFIX) else []


def keeps_the_pinned_contract(exchange: HttpExchange) -> list[str]:
    """The answer is one the pinned OpenAPI document describes: its operation, its status, its body."""
    return pinned.answer_problems(exchange.method, exchange.path, exchange.status, exchange.text)


def whoever_asked(secrets: tuple[str, ...]) -> tuple[Callable[[HttpExchange], list[str]], ...]:
    """The rules an answer keeps whoever asked (a scenario's person, or an outsider, a colleague or an ended session
    the checks send): those that do not read what the scenario's people were shown. ``secrets``: the platform's
    keys, when known."""
    return (
        protective_headers,
        says_what_its_body_is,
        error_shape,
        status_says_what_the_code_says,
        no_secrets(secrets),
        keeps_the_pinned_contract,
    )


TIMES = ("created_at", "occurred_at")  # when a record was made, as the answers name it


def lists_oldest_first(exchange: HttpExchange) -> list[str]:
    """A list the pinned contract says is oldest first is: no record made before the one ahead of it."""
    if exchange.method != "GET" or exchange.status != 200 or not pinned.said_oldest_first("GET", exchange.path):
        return []
    body = json.loads(exchange.text or "null")
    lists = [body] if isinstance(body, list) else [v for v in (body or {}).values() if isinstance(v, list)]
    problems = []
    for records in lists:
        times = [next((r[t] for t in TIMES if t in r), None) for r in records if isinstance(r, dict)]
        if len(times) != len(records) or None in times:
            continue
        made = [datetime.fromisoformat(t) for t in times]
        problems += [
            f"is not oldest first as the contract says: one made at {behind:%H:%M:%S.%f} is listed after one made at "
            f"{ahead:%H:%M:%S.%f}"
            for ahead, behind in pairwise(made)
            if behind < ahead
        ][:1]
    return problems


TRUE = frozenset({"true", "1", "yes", "on", "t", "y"})  # how a query may say yes, as the platform reads it
# What a listing's query asks of every record it lists: the query's name, the record's field, and whether a record
# showing that field answers what was asked
ASKED_OF_EVERY_RECORD: dict[str, tuple[str, Callable[[str, Any], bool]]] = {
    "status": ("status", lambda asked, shown: shown == asked),
    "archived": ("archived", lambda asked, shown: shown is (asked.lower() in TRUE)),
    "user_id": ("user_id", lambda asked, shown: str(shown).lower() == asked.lower()),
    "after_seq": ("seq", lambda asked, shown: isinstance(shown, int) and asked.isdigit() and shown > int(asked)),
}


def lists_what_was_asked(exchange: HttpExchange) -> list[str]:
    """A list answers what its query asked: at most ``limit`` records, each matching every filter the query named
    (a status, archived or not, a person, entries after a number). A filter a listing quietly ignores passed
    every scenario whose records all matched it anyway."""
    if exchange.method != "GET" or exchange.status != 200 or not exchange.request.query:
        return []
    body = json.loads(exchange.text or "null")
    if not isinstance(body, list):
        return []
    asked = dict(parse_qsl(exchange.request.query))
    records = [record for record in body if isinstance(record, dict)]
    problems = []
    if asked.get("limit", "").isdigit() and len(body) > int(asked["limit"]):
        problems.append(f"lists {len(body)} records where the query asked for at most {asked['limit']}")
    for name, (field, answers_it) in ASKED_OF_EVERY_RECORD.items():
        if name not in asked:
            continue
        astray = [record for record in records if field in record and not answers_it(asked[name], record[field])]
        if astray:
            problems.append(
                f"was asked for {name}={asked[name]} and lists {len(astray)} record(s) that are not, e.g. {field}"
                f" {astray[0][field]!r}"
            )
    return problems


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR = re.compile(r"^([0-9]{1,16})-([0-9a-f]{32})$")  # a page's position: microseconds since 1970, a record's id
NEXT = re.compile(r'<([^>]*)>\s*;\s*rel="next"')


def pages_follow_on(exchange: HttpExchange) -> list[str]:
    """A listing's pages follow on from each other: a page asked for after a cursor lists only records made after
    that position (when, then which), a full page names the next one, a shorter page names none, and the next
    one begins right after its last record. A cursor taken from the wrong record, or a page a record short,
    loses or repeats records at every page boundary, which a scenario of one page never crosses."""
    if exchange.method != "GET" or exchange.status != 200:
        return []
    body = json.loads(exchange.text or "null")
    positions = [_position(record) for record in body] if isinstance(body, list) else []
    if not positions or None in positions:
        return []  # not a list of records made one after another (the trail pages by its entries' numbers)
    asked = dict(parse_qsl(exchange.request.query))
    problems = []
    after = CURSOR.match(asked.get("after", ""))
    if after:
        start = (int(after.group(1)), after.group(2))
        early = [record["id"] for record, at in zip(body, positions, strict=True) if at is not None and at <= start]
        if early:
            problems.append(f"was asked for the records after {asked['after']} and lists {early[0]}, made before it")
    link = NEXT.search(exchange.headers.get("link", ""))
    onward = dict(parse_qsl(urlsplit(link.group(1)).query)) if link else {}
    limit = onward.get("limit") or asked.get("limit")
    if limit and limit.isdigit():
        if link and len(body) < int(limit):
            problems.append(f"lists {len(body)} records of the {limit} a page holds and names a next page")
        if not link and len(body) == int(limit):
            problems.append(f"lists a full page of {limit} records and names no next page")
    last = positions[-1]
    if link and last is not None and onward.get("after") != f"{last[0]}-{last[1]}":
        problems.append(f"names a next page after {onward.get('after')}, not after its last record {body[-1]['id']}")
    return problems


def _position(record: Any) -> tuple[int, str] | None:
    """Where a record stands in a listing: when it was made (microseconds since 1970), then its id."""
    if not isinstance(record, dict) or not isinstance(record.get("created_at"), str) or "id" not in record:
        return None
    made = datetime.fromisoformat(record["created_at"])
    return (made - EPOCH) // timedelta(microseconds=1), str(record["id"]).replace("-", "").lower()


# The audit trail's entries of an action that moves or commits money name how much, as docs/platform.md says
MONEY_ACTIONS = (
    "deal_won",
    "approval_requested",
    "payment_received",
    "payment_declined",
    "refund_issued",
    "commission_earned",
    "commission_reversed",
    "campaign_started",
)
AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
AUDIT_TRAIL = API_PREFIX + Compliance.AUDIT


def _trail_read(exchange: HttpExchange) -> list[Any]:
    """The entries an answer shows when it is a read of the audit trail; none for any other answer."""
    if exchange.method != "GET" or exchange.status != 200 or exchange.path.split("?")[0] != AUDIT_TRAIL:
        return []
    entries = json.loads(exchange.text or "[]")
    return entries if isinstance(entries, list) else []


def money_actions_say_how_much(exchange: HttpExchange) -> list[str]:
    """Each entry of the audit trail for an action on money names its amount (two decimals) and currency."""

    def lacking(entry: dict[str, Any]) -> str:
        data = entry.get("data") or {}
        said = AMOUNT.match(str(data.get("amount", ""))) and CURRENCY.match(str(data.get("currency", "")))
        return "" if entry.get("action") not in MONEY_ACTIONS or said else f"amount and currency: {data}"

    return _entries_without(exchange, lacking)


def _entries_without(exchange: HttpExchange, lacking: Callable[[dict[str, Any]], str]) -> list[str]:
    """For a read of the audit trail, each entry that lacks something (what ``lacking`` names), the first three."""
    return [
        f"has the audit entry {entry.get('seq')} ({entry.get('action')}) without its {said}"
        for entry in _trail_read(exchange)
        if isinstance(entry, dict) and (said := lacking(entry))
    ][:3]
