"""Every state of every record with a life cycle, and every action tried from it.

A record is brought to a state by the actions a person would take (never written
directly), then one action is tried. An allowed action moves the record; a
forbidden one is refused as an invalid move and leaves the record as it was.
Used by the life-cycle features of sales, billing, compliance and customer care.

World facts written here: ``life_cycle.move``, ``life_cycle.record``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from hamcrest import assert_that, equal_to, greater_than_or_equal_to, is_in

from support.areas.sales import tasks as sales
from support.clients.paths import Billing, Compliance, CustomerCare, Sales
from support.clients.platform_api import Answer
from support.clients.processor_reader import APPROVED_CARD
from support.scenario.builders import idempotency_key
from support.scenario.personas import FINANCE_PERSONA, OWNER_PERSONA, SALES_PERSONA
from support.scenario.world import World

INVOICE_NET = Decimal("1000.00")  # at 0 % tax the total; half of it leaves the invoice partially paid


@dataclass(frozen=True)
class Record:
    kind: str
    id: str
    path: str  # where it is read: /leads/{id} ...
    state_field: str


def _post(world: World, name: str, path: str, body: Any = None, **headers: str) -> Answer:
    return world.actor(name).api.post(path, body, headers=headers or None)


# -- bringing a record to a state -------------------------------------------------------------------------------


def _lead(world: World, state: str) -> Record:
    lead = sales.captured_lead(world, SALES_PERSONA, "Globex", Decimal("5000.00"), "EUR")
    steps = {
        "new": [],
        "qualified": ["qualify it"],
        "disqualified": ["disqualify it"],
        "converted": ["qualify it", "convert it"],
    }
    record = Record("lead", lead["id"], Sales.lead(lead["id"]), "status")
    for action in steps[state]:
        _act(world, SALES_PERSONA, record, action).expect_ok(f"bringing the lead to {state}")
    return record


def _deal(world: World, state: str) -> Record:
    deal = sales.open_deal(world, SALES_PERSONA, "Globex", Decimal("5000.00"), "EUR")
    record = Record("deal", deal["id"], Sales.deal(deal["id"]), "stage")
    steps = {
        "prospecting": [],
        "in proposal": ["move it to proposal"],
        "in negotiation": ["move it to negotiation"],
        "won": ["win it"],
        "lost": ["lose it"],
    }
    for action in steps[state]:
        _act(world, SALES_PERSONA, record, action).expect_ok(f"bringing the deal to {state}")
    return record


def _invoice(world: World, state: str) -> Record:
    sales.won_project(world, "Globex", INVOICE_NET, "EUR")
    line = {"description": "Delivery", "quantity": "1", "unit_price": f"{INVOICE_NET:.2f}", "tax_rate": "0"}
    invoice = world.actor(FINANCE_PERSONA).drafts_invoice(world.sales.project["id"], [line], 30)
    record = Record("invoice", invoice["id"], Billing.invoice(invoice["id"]), "status")
    steps = {
        "draft": [],
        "issued": ["issue it"],
        "partially paid": ["issue it", "pay half of it"],
        "partially paid by a cent": ["issue it", "pay a cent of it"],
        "paid": ["issue it", "pay all of it"],
        "void": ["issue it", "void it"],
    }
    for action in steps[state]:
        _act(world, FINANCE_PERSONA, record, action).expect_ok(f"bringing the invoice to {state}")
    return record


def _ticket(world: World, state: str) -> Record:
    project = sales.won_project(world, "Globex")
    ticket = _post(
        world, SALES_PERSONA, CustomerCare.TICKETS, {"client_id": project["client_id"], "subject": "Login fails"}
    )
    ticket_id = ticket.expect_ok("opening a ticket")["id"]
    record = Record("ticket", ticket_id, CustomerCare.ticket(ticket_id), "status")
    steps = {"open": [], "answered": ["answer it"], "closed": ["answer it", "close it"]}
    for action in steps[state]:
        _act(world, SALES_PERSONA, record, action).expect_ok(f"bringing the ticket to {state}")
    return record


def _approval(world: World, state: str) -> Record:
    world.actor(OWNER_PERSONA).api.call("PUT", Compliance.SETTINGS, json={"approval_threshold": "1000.00"}).expect_ok(
        "setting the approval threshold"
    )
    sales.open_deal(world, SALES_PERSONA, "Globex", Decimal("5000.00"), "EUR")
    sales.win_deal(world, SALES_PERSONA)  # above the threshold: a request is made, by the seller
    deal_id = world.sales.deal["id"]
    pending = [a for a in world.actor(OWNER_PERSONA).lists(Compliance.APPROVALS) if a["subject_id"] == deal_id]
    assert_that(len(pending), equal_to(1), "the approval requested for the won deal")
    record = Record("approval", pending[0]["id"], Compliance.APPROVALS, "status")
    steps = {"pending": [], "approved": ["approve it"], "rejected": ["reject it"]}
    for action in steps[state]:
        _act(world, OWNER_PERSONA, record, action).expect_ok(f"bringing the approval to {state}")
    return record


MAKERS: dict[str, Callable[[World, str], Record]] = {
    "lead": _lead,
    "deal": _deal,
    "invoice": _invoice,
    "ticket": _ticket,
    "approval": _approval,
}


# -- actions ----------------------------------------------------------------------------------------------------


def _pay(world: World, name: str, record: Record, share: Decimal | None) -> Answer:
    """Pays ``share`` of what is due (None: one cent)."""
    invoice = world.actor(name).looks_at("invoices", record.id)
    amount = (Decimal(invoice["amount_due"]) * share).quantize(Decimal("0.01")) if share else Decimal("0.01")
    body = {"amount": f"{max(amount, Decimal('0.01')):.2f}", "card_token": APPROVED_CARD}  # a cent of nothing due
    return _post(world, name, Billing.payments(record.id), body, **{"Idempotency-Key": idempotency_key()})


ACTIONS: dict[str, Callable[[World, str, Record], Answer]] = {
    "qualify it": lambda w, n, r: _post(w, n, f"{r.path}/qualify"),
    "disqualify it": lambda w, n, r: _post(w, n, f"{r.path}/disqualify", {"reason": "no budget"}),
    "convert it": lambda w, n, r: _post(w, n, f"{r.path}/convert", {}),
    "move it to prospecting": lambda w, n, r: _post(w, n, f"{r.path}/stage", {"stage": "prospecting"}),
    "move it to proposal": lambda w, n, r: _post(w, n, f"{r.path}/stage", {"stage": "proposal"}),
    "move it to negotiation": lambda w, n, r: _post(w, n, f"{r.path}/stage", {"stage": "negotiation"}),
    "win it": lambda w, n, r: _post(w, n, f"{r.path}/win"),
    "lose it": lambda w, n, r: _post(w, n, f"{r.path}/lose", {"reason": "went elsewhere"}),
    "issue it": lambda w, n, r: _post(w, n, f"{r.path}/issue"),
    "void it": lambda w, n, r: _post(w, n, f"{r.path}/void", {"reason": "raised in error"}),
    "pay half of it": lambda w, n, r: _pay(w, n, r, Decimal("0.5")),
    "pay all of it": lambda w, n, r: _pay(w, n, r, Decimal("1")),
    "pay a cent of it": lambda w, n, r: _pay(w, n, r, None),
    "answer it": lambda w, n, r: _post(w, n, f"{r.path}/answer", {"answer": "Reset your password."}),
    "close it": lambda w, n, r: _post(w, n, f"{r.path}/close"),
    "approve it": lambda w, n, r: _post(w, n, Compliance.approval(r.id, "approve"), {}),
    "reject it": lambda w, n, r: _post(w, n, Compliance.approval(r.id, "reject"), {"reason": "too large"}),
}

# the words a feature uses for a state, as the platform stores it
STATES = {"in proposal": "proposal", "in negotiation": "negotiation", "partially paid": "partially_paid"}


def _act(world: World, name: str, record: Record, action: str) -> Answer:
    return ACTIONS[action](world, name, record)


def state_of(world: World, record: Record) -> str:
    if record.kind == "approval":
        return _decision_said(_approval_now(world, record))
    return world.actor(OWNER_PERSONA).api.get(record.path).expect_ok(f"reading the {record.kind}")[record.state_field]


def _approval_now(world: World, record: Record) -> dict[str, Any]:
    found = [a for a in world.actor(OWNER_PERSONA).lists(Compliance.APPROVALS) if a["id"] == record.id]
    assert_that(len(found), equal_to(1), "the approval, listed once")
    return found[0]


def _decision_said(approval: dict[str, Any]) -> str:
    """The approval's status, having checked it says who decided it and when exactly when it was decided."""
    decided = approval["status"] != "pending"
    said = (approval["decided_by"] is not None, approval["decided_at"] is not None)
    assert_that(said, equal_to((decided, decided)), f"who decided the {approval['status']} approval and when")
    if decided:
        taken = datetime.fromisoformat(approval["decided_at"])
        assert_that(
            taken, greater_than_or_equal_to(datetime.fromisoformat(approval["created_at"])), "decided after asked"
        )
    return str(approval["status"])


# -- the steps' calls -------------------------------------------------------------------------------------------


# The state each kind of record is made in: a neighbour beside the record a scenario moves is made in it
FIRST_STATES = {"lead": "new", "deal": "prospecting", "invoice": "draft", "ticket": "open", "approval": "pending"}


def record_in_state(world: World, kind: str, state: str) -> None:
    """A record of ``kind`` brought to ``state``, beside a neighbour of its kind made just after it: a move meant
    for the record that reached its neighbour too, or was told as the newest record's, is seen by the checks that
    hold everywhere (the row watch, the audit trail's entries)."""
    world.life_cycle.record = MAKERS[kind](world, state)
    MAKERS[kind](world, FIRST_STATES[kind])


def tries(world: World, name: str, action: str) -> None:
    world.life_cycle.move = _act(world, name, world.life_cycle.record, action)


def outcome_is(world: World, outcome: str, kind: str, after: str) -> None:
    answer: Answer = world.life_cycle.move
    record: Record = world.life_cycle.record
    assert_that(record.kind, equal_to(kind), "the kind of record the scenario made")
    if outcome == "allowed":
        assert_that(answer.status, is_in([200, 201]), f"the answer to the move: {answer.body}")
        if record.kind == "approval":
            _decision_said(answer.body)
    else:
        assert_that(answer.status, equal_to(409), f"the answer to the forbidden move: {answer.body}")
        assert_that(answer.error_code, equal_to("invalid_state"), "why it was refused")
    assert_that(state_of(world, record), equal_to(STATES.get(after, after)), f"the {record.kind} afterwards")
