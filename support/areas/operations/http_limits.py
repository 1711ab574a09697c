"""What every answer says about itself (security headers), requests past the size limits, and numbers at theirs.

World facts written here: ``operations.limit_answer``, ``operations.limit_api``, ``operations.heads``."""

from __future__ import annotations

import json
from collections.abc import Callable

from hamcrest import assert_that, equal_to, has_entries, has_length, is_in
from requests.structures import CaseInsensitiveDict

from support.areas.operations import sign_in
from support.areas.operations.socket_frames import answers_a_question
from support.clients.chat_client import handshake
from support.clients.paths import Billing, Compliance, Operations, Sales, Tenancy
from support.clients.platform_api import Answer, PlatformApi
from support.report.evidence import attach_text
from support.scenario.async_runner import run_async
from support.scenario.connections import chat, socket_url
from support.scenario.personas import FINANCE_PERSONA, OWNER_PERSONA
from support.scenario.world import World

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}
PRIVATE = {"Cache-Control": "no-store"}
SIZES = {  # as a feature says a size -> bytes
    "15,000 bytes": 15_000,
    "17,000 bytes": 17_000,
    "a million bytes": 1_000_000,
    "a mebibyte": 1_048_576,
    "a mebibyte and one byte more": 1_048_577,
}
OUTCOMES = {  # as a feature says what became of a request -> (status, error code, field named)
    "answered": (200, None, None),
    "refused as too large, naming the headers": (431, "request_header_fields_too_large", "headers"),
    "read, then refused as no lead, naming a field": (422, "validation_error", None),
    "refused as too large, naming the body": (413, "payload_too_large", "body"),
    "taken": (201, None, None),
    "refused as unreadable, naming its label": (415, "unsupported_media_type", "Content-Type"),
}
SENT_AS = {  # how a feature says a body was labelled -> its Content-Type
    "structured data naming its character set": "application/json; charset=utf-8",
    "structured data spelled in capitals": "Application/JSON",
    "plain text": "text/plain; charset=utf-8",
}
FIELDS = {  # a field as a feature names it -> as the platform's error names it
    "nothing": None,
    "the lines": "lines",
    "the line's unit price": "lines.0.unit_price",
    "the line's quantity": "lines.0.quantity",
    "the line's tax rate": "lines.0.tax_rate",
    "the estimated value": "estimated_value",
    "the budget": "budget",
    "the approval threshold": "approval_threshold",
    "the commission rate": "commission_rate",
}


def _api(world: World, name: str) -> PlatformApi:
    """A session of the person's own with its connection kept alive between requests."""
    world.operations.limit_api = PlatformApi(world.inspectors.config.platform_url or "", token=world.actor(name).token)
    return world.operations.limit_api


def reads_own_profile(world: World, name: str) -> None:
    world.operations.limit_answer = _api(world, name).get(Tenancy.ME)


def signs_in(world: World, name: str) -> None:
    world.operations.limit_answer = sign_in.own_sign_in(world, name)


def answer_protected(world: World) -> None:
    headers = world.operations.limit_answer.headers
    for name, value in {**SECURITY_HEADERS, **PRIVATE}.items():
        assert_that(headers.get(name), equal_to(value), f"the {name} header")


# what a feature says a person asks for the headers of -> the address
HEADS_OF = {
    "her own profile": Tenancy.ME,
    "the leads": Sales.LEADS,
    "the platform's health": Operations.HEALTH,
    "an address the platform does not have": "/no-such-address",
}
# what a whole answer and its headers alone must share (the Date differs by the second it was sent in)
SAME_HEADERS = ("Content-Type", "Content-Length", "WWW-Authenticate", *SECURITY_HEADERS, *PRIVATE)


def asks_for_headers_alone(world: World, name: str, what: list[str]) -> None:
    """``name`` asks for each thing's headers alone (HEAD), and for the whole of it (GET) just after."""
    api = _api(world, name)
    world.operations.heads = {
        thing: (api.call("HEAD", HEADS_OF[thing]), api.call("GET", HEADS_OF[thing])) for thing in what
    }


def headers_alone_as_whole(world: World) -> None:
    for thing, (head, whole) in world.operations.heads.items():
        assert_that(
            (head.status, head.body),
            equal_to((whole.status, "")),
            f"the headers alone of {thing}: answered as the whole request ({whole.status}), with no body",
        )
        assert_that(
            {name: head.headers.get(name) for name in SAME_HEADERS},
            equal_to({name: whole.headers.get(name) for name in SAME_HEADERS}),
            f"the headers alone of {thing}, against the whole answer's",
        )


def sends_headers_of(world: World, name: str, size: int) -> None:
    """A request whose headers come to ``size`` bytes in all (an oversize token, as a broken client sends)."""
    api = _api(world, name)
    padding = "x" * max(0, size - 200)
    world.operations.limit_answer = api.call("GET", Tenancy.ME, headers={"X-Padding": padding})


def opens_assistant_with_headers_of(world: World, name: str, size: str) -> None:
    """``name`` opens the assistant with handshake headers of the size a feature names (``SIZES``) in all, in
    several headers of at most 4,000 bytes (a line of a handshake may not be longer than 8 KiB)."""
    padding = "x" * max(0, SIZES[size] - 300)
    headers = {
        f"X-Padding-{n}": padding[start : start + 4_000] for n, start in enumerate(range(0, len(padding), 4_000))
    }
    status, body, said = run_async(handshake(socket_url(world), world.actor(name).token, headers))
    attach_text(f"the answer to {name}'s handshake ({status})", body.decode(errors="replace") or "(no body)")
    world.operations.limit_answer = Answer(status, json.loads(body) if body else None, CaseInsensitiveDict(said))


def sends_body_of(world: World, name: str, size: int) -> None:
    """A lead whose JSON body is ``size`` bytes long: valid JSON, its contact name padded."""
    skeleton = '{"company": "Padded", "contact_name": "", "estimated_value": "1.00"}'
    body = skeleton.replace('"contact_name": ""', '"contact_name": "' + "x" * (size - len(skeleton)) + '"')
    assert len(body.encode()) == size
    world.operations.limit_answer = _api(world, name).call(
        "POST", Sales.LEADS, data=body.encode(), headers={"Content-Type": "application/json"}
    )


def sends_lead_as(world: World, name: str, sent_as: str) -> None:
    """A valid lead's JSON body, labelled as a feature says (``SENT_AS``)."""
    body = json.dumps({"company": "Labelled", "contact_name": "Lee", "estimated_value": "1.00"})
    world.operations.limit_answer = _api(world, name).call(
        "POST", Sales.LEADS, data=body.encode(), headers={"Content-Type": SENT_AS[sent_as]}
    )


def sends_sized(world: World, name: str, part: str, size: str) -> None:
    """``name`` sends a request whose headers or body hold the size a feature names (``SIZES``)."""
    {"headers": sends_headers_of, "body": sends_body_of}[part](world, name, SIZES[size])


def became(world: World, outcome: str) -> None:
    """The last answer is what the feature says became of the request (``OUTCOMES``), protected all the same."""
    status, code, field = OUTCOMES[outcome]
    answer: Answer = world.operations.limit_answer
    assert_that(
        answer.status,
        equal_to(status),
        f"what became of the request ({outcome}): {answer.body if answer.status >= 400 else ''}",
    )
    if code:
        assert_that(answer.body, has_entries(error=has_entries(code=code)), f"why it was {outcome}")
    if field:
        assert_that(answer.body, has_entries(error=has_entries(field=field)), "the part of the request named")
    for name, value in SECURITY_HEADERS.items():
        assert_that(answer.headers.get(name), equal_to(value), f"the {name} header, refusals included")


def connection_still_answers(world: World) -> None:
    answer = world.operations.limit_api.get(Tenancy.ME)
    assert_that(answer.status, equal_to(200), "the next request on the same connection")


def assistant_still_answers(world: World, name: str) -> None:
    answers_a_question(chat(world, name))


def drafts_line(world: World, biller: str, quantity: str, unit_price: str, tax_rate: str) -> None:
    lines = [{"description": "At the limit", "quantity": quantity, "unit_price": unit_price, "tax_rate": tax_rate}]
    api = _api(world, biller)
    world.operations.limit_answer = api.post(
        Billing.INVOICES, {"project_id": world.sales.project["id"], "lines": lines}
    )


def drafts_lines(world: World, biller: str, lines: list[tuple[str, str]]) -> None:
    """Drafts one invoice with the (quantity, unit price) lines given, without tax."""
    body = [
        {"description": f"Line {n}", "quantity": quantity, "unit_price": price, "tax_rate": "0"}
        for n, (quantity, price) in enumerate(lines, start=1)
    ]
    answer = _api(world, biller).post(Billing.INVOICES, {"project_id": world.sales.project["id"], "lines": body})
    world.operations.limit_answer = answer


def line_outcome(world: World, outcome: str, named: str) -> None:
    answer: Answer = world.operations.limit_answer
    field = FIELDS[named]
    invoices = world.actor(FINANCE_PERSONA).lists(Billing.INVOICES)
    if outcome == "drafted":
        assert_that(answer.status, equal_to(201), f"the answer: {answer.body}")
        assert_that(invoices, has_length(1), "the company's invoices")
        return
    assert_that(answer.status, equal_to(422), f"the answer: {answer.body}")
    assert_that(answer.body, has_entries(error=has_entries(field=field)), "the field named")
    assert_that(invoices, has_length(0), "the company's invoices (nothing written)")


# Each number a person sends that the platform keeps: (how it is sent with the value, how to find it kept).
AT_THE_LIMIT: dict[str, tuple[Callable[[PlatformApi, str], Answer], Callable[[World, str], bool]]] = {
    "a lead's estimated value": (
        lambda api, value: api.post(
            Sales.LEADS, {"company": "Edge Co", "contact_name": "Eve", "estimated_value": value}
        ),
        lambda world, value: any(
            lead["estimated_value"] == value for lead in world.actor(OWNER_PERSONA).lists(Sales.LEADS)
        ),
    ),
    "a campaign's budget": (
        lambda api, value: api.post(Sales.CAMPAIGNS, {"name": "Edge campaign", "budget": value}),
        lambda world, value: any(c["budget"] == value for c in world.actor(OWNER_PERSONA).lists(Sales.CAMPAIGNS)),
    ),
    "the approval threshold": (
        lambda api, value: api.call("PUT", Compliance.SETTINGS, json={"approval_threshold": value}),
        lambda world, value: (
            world.actor(OWNER_PERSONA).api.get(Compliance.SETTINGS).body.get("approval_threshold") == value
        ),
    ),
    "a new colleague's commission rate": (
        lambda api, value: api.post(
            Tenancy.USERS,
            {
                "email": "edge@limit.example",
                "name": "Edge",
                "role": "sales",
                "password": "Edge-pass-1",
                "commission_rate": value,
            },
        ),
        lambda world, value: any(
            u["email"] == "edge@limit.example" for u in world.actor(OWNER_PERSONA).lists(Tenancy.USERS)
        ),
    ),
}


def sends_number(world: World, name: str, what: str, value: str) -> None:
    send, _ = AT_THE_LIMIT[what]
    world.operations.limit_answer = send(_api(world, name), value)


def number_outcome(world: World, what: str, value: str, outcome: str, named: str) -> None:
    answer: Answer = world.operations.limit_answer
    field = FIELDS[named]
    _, kept = AT_THE_LIMIT[what]
    if outcome == "kept":
        assert_that(answer.status, is_in((200, 201)), f"the answer: {answer.body}")
        assert_that(kept(world, value), equal_to(True), f"{what} of {value} kept as sent")
        return
    assert_that(answer.status, equal_to(422), f"the answer: {answer.body}")
    assert_that(answer.body, has_entries(error=has_entries(field=field)), "the field named")
    assert_that(kept(world, value), equal_to(False), f"{what} of {value} written anyway")
