"""Tenancy journeys: a record of every kind in one company, and another company reaching for them.

World facts written here: ``tenancy.answer``, ``tenancy.attempts``, ``tenancy.records``,
``tenancy.records_of``, ``tenancy.snapshot``, ``tenancy.sweep``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from support.areas.assistant import tasks as assistant
from support.areas.tenancy.access_sweep import AccessSweep, Attempt, attach_attempts
from support.clients.paths import Assistant, Billing, Compliance, CustomerCare, Sales, Tenancy
from support.clients.platform_api import PlatformApi
from support.scenario import builders
from support.scenario.personas import FINANCE_PERSONA, OWNER_PERSONA, PERSONAS, SALES_PERSONA
from support.scenario.world import World

RECORD_PARAMS = {
    "lead": "lead_id",
    "deal": "deal_id",
    "client": "client_id",
    "delivery project": "project_id",
    "invoice": "invoice_id",
}

KIND_PATHS = {
    "conversation": Assistant.thread("{thread_id}"),
    "lead": Sales.lead("{lead_id}"),
    "deal": Sales.deal("{deal_id}"),
    "client": Sales.client("{client_id}"),
    "delivery project": Sales.project("{project_id}"),
    "invoice": Billing.invoice("{invoice_id}"),
    "invoice's payments": Billing.payments("{invoice_id}"),
}

LIST_PATHS = {
    "leads": Sales.LEADS,
    "deals": Sales.DEALS,
    "clients": Sales.CLIENTS,
    "delivery projects": Sales.PROJECTS,
    "invoices": Billing.INVOICES,
    "users": Tenancy.USERS,
    "commissions": Billing.COMMISSIONS,
    "audit trail": Compliance.AUDIT,
}


def records_of_every_kind(world: World, company: str | None = None) -> dict[str, str]:
    """A fresh lead, an open deal with its client, a won deal's project, an issued, part-paid invoice,
    and an assistant conversation."""
    tenant = world.tenant(company)
    sales, finance = tenant.actor(SALES_PERSONA), tenant.actor(FINANCE_PERSONA)
    fresh = sales.captures_lead("Fresh Lead Co", Decimal("1000.00"), "EUR")
    open_lead = sales.qualifies(sales.captures_lead("Open Deal Co", Decimal("2000.00"), "EUR"))
    open_deal = sales.converts(open_lead).expect_ok("converting a lead")
    won_lead = sales.qualifies(sales.captures_lead("Won Deal Co", Decimal("3000.00"), "EUR"))
    won = sales.wins(sales.converts(won_lead).expect_ok("converting a lead"))
    invoice = finance.issues(
        finance.drafts_invoice(won["project_id"], [builders.invoice_line(unit_price="3000.00", tax_rate="21")])
    )
    payment = finance.takes_card_payment(
        invoice["id"], Decimal("100.00"), "tok_visa", builders.idempotency_key()
    ).expect_ok("a first payment")
    conversation = assistant.ask(world, SALES_PERSONA, "What is our open pipeline?", company=company)
    tenant.actor(OWNER_PERSONA).api.call("PUT", Compliance.SETTINGS, json={"approval_threshold": "5000.00"}).expect_ok(
        "setting the approval threshold"
    )
    big = sales.wins(
        sales.converts(sales.qualifies(sales.captures_lead("Big Deal Co", Decimal("6000.00"), "EUR"))).expect_ok(
            "converting a lead"
        )
    )
    approval = tenant.actor(OWNER_PERSONA).lists(Compliance.APPROVALS, status="pending")[-1]
    assert approval["subject_id"] == big["id"], "the big deal waits for approval"
    notification = sales.lists(Sales.NOTIFICATIONS)[0]  # winning a deal told Sam about his kick-off tasks
    ticket = sales.api.post(CustomerCare.TICKETS, {"client_id": won["client_id"], "subject": "Help"}).expect_ok(
        "a ticket"
    )
    records = {
        "ticket_id": ticket["id"],
        "payment_id": payment["id"],
        "notification_id": notification["id"],
        "lead_id": fresh["id"],
        "deal_id": open_deal["id"],
        "client_id": open_deal["client_id"],
        "project_id": won["project_id"],
        "invoice_id": invoice["id"],
        "thread_id": conversation.thread_id,
        "approval_id": approval["id"],
        "user_id": sales.user_id,
    }
    world.tenancy.records_of = company or world.home_name
    world.tenancy.records = records
    return world.tenancy.records


def prepare_sweep(world: World) -> AccessSweep:
    owner = world.actor(OWNER_PERSONA)
    sweep = AccessSweep(owner.api.get("/openapi.json").body, world.tenancy.records)
    world.tenancy.snapshot = sweep.snapshot(owner.api)
    world.tenancy.sweep = sweep
    return world.tenancy.sweep


def sweep_as_other_tenant(world: World, company: str) -> list[Attempt]:
    sweep = prepare_sweep(world)
    attempts = sweep.as_other_tenant(world.actor(OWNER_PERSONA, company).api)
    attach_attempts(f"every operation as {company}", attempts)
    world.tenancy.attempts = attempts
    return world.tenancy.attempts


def sweep_without_token(world: World) -> list[Attempt]:
    sweep = prepare_sweep(world)
    attempts = sweep.without_token(PlatformApi(world.inspectors.config.platform_url))
    attach_attempts("every operation without a token", attempts)
    world.tenancy.attempts = attempts
    return world.tenancy.attempts


def sweep_by_role(world: World) -> list[Attempt]:
    callers = {role: world.actor(name).api for name, role in PERSONAS.items()}  # before the snapshot
    sweep = prepare_sweep(world)
    attempts = sweep.by_role(callers, world.tenancy.rights)
    attach_attempts("every operation by every role", attempts)
    world.tenancy.attempts = attempts
    return world.tenancy.attempts


def look_for(world: World, kind: str, company: str, name: str = OWNER_PERSONA, *, owner: str | None = None) -> Any:
    """``name`` of ``company`` asks for one of ``owner``'s records (those made by ``records_of_every_kind``)."""
    if owner is not None:
        world.records_made_for(owner)
    path = KIND_PATHS[kind].format(**world.tenancy.records)
    world.tenancy.answer = world.actor(name, company).api.get(path)
    return world.tenancy.answer


def list_as(world: World, listing: str, company: str, name: str = OWNER_PERSONA) -> Any:
    world.tenancy.answer = world.actor(name, company).api.get(LIST_PATHS[listing])
    return world.tenancy.answer
