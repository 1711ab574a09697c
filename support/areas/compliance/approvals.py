"""High-value approvals: the threshold, the requests, the decisions, seen through the API.

World facts written here: ``compliance.approval``, ``compliance.decision``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hamcrest import assert_that, equal_to, has_entries, has_length

from support.areas.billing import tasks as billing
from support.clients.paths import Billing, Compliance
from support.clients.platform_api import Answer
from support.scenario.facts import ComplianceFacts, known
from support.scenario.matchers import refused_because
from support.scenario.money_text import Money
from support.scenario.personas import OWNER_PERSONA
from support.scenario.world import World


def set_threshold(world: World, threshold: Money) -> None:
    world.actor(OWNER_PERSONA).api.call(
        "PUT",
        Compliance.SETTINGS,
        json={"approval_threshold": f"{threshold.amount:.2f}", "approval_threshold_currency": threshold.currency},
    ).expect_ok("setting the approval threshold")


def remove_threshold(world: World, name: str) -> None:
    """``name`` removes the company's approval threshold: no deal or payment asks for approval from then on. The settings read
    back afterwards hold no threshold, nor a currency for one."""
    actor = world.actor(name)
    actor.api.call("PUT", Compliance.SETTINGS, json={"approval_threshold": None}).expect_ok(
        f"{name} removing the approval threshold"
    )
    settings = actor.api.get(Compliance.SETTINGS).expect_ok(f"{name} reading the company's settings")
    assert_that(
        settings,
        has_entries(approval_threshold=None, approval_threshold_currency=None),
        "the company's settings once the threshold is removed",
    )


def try_to_invoice(world: World, biller: str, tax_rate: Decimal) -> Answer:
    deal = world.sales.deal
    answer = world.actor(biller).api.post(
        Billing.INVOICES,
        {
            "project_id": deal["project_id"],
            "lines": [
                {"description": deal["title"], "quantity": "1", "unit_price": deal["amount"], "tax_rate": str(tax_rate)}
            ],
        },
    )
    return world.answered(biller, answer)


def pending_request_for(world: World, subject: str) -> dict[str, Any]:
    pending = world.actor(OWNER_PERSONA).lists(Compliance.APPROVALS, status="pending")
    if subject == "deal":
        subject_id = world.sales.deal["id"]
        found = [a for a in pending if a["subject_id"] == subject_id]
    else:
        found = [a for a in pending if a["subject_type"] == "payment"]
    assert_that(len(found), equal_to(1), f"one pending request for the {subject}")
    world.compliance.approval = found[0]
    return world.compliance.approval


def decide(world: World, name: str, subject: str, *, approve: bool, reason: str | None = None) -> Answer:
    approval = (
        world.compliance.approval
        if known(world.compliance, ComplianceFacts.approval) and world.compliance.approval["status"] != "pending"
        else pending_request_for(world, subject)
    )
    verb = "approve" if approve else "reject"
    answer = world.actor(name).api.post(Compliance.approval(approval["id"], verb), {"reason": reason} if reason else {})
    if answer.ok:
        world.compliance.approval = answer.body
    world.compliance.decision = answer
    return world.compliance.decision


def pays_as(world: World, taker: str, amount: Decimal, currency: str) -> Answer:
    return billing.customer_pays(world, amount, currency, taker=taker)


def told_awaits_approval(world: World, name: str) -> None:
    assert_that(
        world.answer_to(name), refused_because("approval_required"), "the request, while its approval is awaited"
    )


def payment_held(world: World) -> None:
    last = billing.last_payment(world)
    assert_that(last.status, equal_to(202), "a held payment is accepted for approval, not charged")
    assert_that(last.body, has_entries(status="held"), "what the held payment says of itself")


def approval_names_the_payment(world: World) -> None:
    """The approval's answer names the payment it let through: the invoice's one payment."""
    invoice = world.billing.invoice
    taken = [p["id"] for p in world.actor(OWNER_PERSONA).lists(Billing.payments(invoice["id"]))]
    assert_that(taken, has_length(1), "the invoice's payments once approved")
    assert_that(world.compliance.decision.body, has_entries(payment_id=taken[0]), "what the approval answered")


DECISION_REFUSALS = {"nobody approves their own request": "forbidden", "it was already decided": "invalid_state"}


def decision_refused(world: World, reason: str) -> None:
    assert_that(
        world.compliance.decision,
        refused_because(DECISION_REFUSALS[reason]),
        "the decision, refused for the reason the step names",
    )


def rejection_says(world: World, reason: str) -> None:
    approval = world.compliance.approval
    listed = [a for a in world.actor(OWNER_PERSONA).lists(Compliance.APPROVALS) if a["id"] == approval["id"]]
    assert_that(listed[0], has_entries(status="rejected", reason=reason), "the rejection, as recorded")
    entries = [
        e
        for e in world.actor(OWNER_PERSONA).lists(Compliance.AUDIT)
        if e["action"] == "approval_rejected" and e["entity_id"] == str(approval["id"])
    ]
    assert_that([e["data"] for e in entries], equal_to([{"reason": reason}]), "the rejection in the audit trail")


def payment_approval_withdrawn(world: World, reason: str) -> None:
    """The held payment's approval is withdrawn, nobody's to decide any more, saying why, in the list and the trail;
    the withdrawn approval is the fact a later decision is tried on."""
    payments = [a for a in world.actor(OWNER_PERSONA).lists(Compliance.APPROVALS) if a["subject_type"] == "payment"]
    assert_that(payments, has_length(1), "the requests for approval of a payment")
    assert_that(payments[0]["status"], equal_to("withdrawn"), "the held payment's approval, once its invoice is void")
    assert_that(payments[0]["reason"], equal_to(reason), "why the held payment's approval was withdrawn")
    world.compliance.approval = payments[0]
    entries = [
        e["data"]
        for e in world.actor(OWNER_PERSONA).lists(Compliance.AUDIT)
        if e["action"] == "approval_withdrawn" and e["entity_id"] == str(payments[0]["id"])
    ]
    assert_that(entries, equal_to([{"reason": reason}]), "the withdrawal in the audit trail")


def nothing_waits_for(world: World, name: str) -> None:
    """``name``'s queue (the requests still pending) is empty: a decided or withdrawn request is nobody's to
    decide any more."""
    waiting = world.actor(name).lists(Compliance.APPROVALS, status="pending")
    assert_that(
        [(a["subject_type"], a["status"]) for a in waiting],
        equal_to([]),
        f"the requests waiting for {name}'s decision once the only one is no longer pending",
    )
