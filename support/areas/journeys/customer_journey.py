"""The whole customer journey: a campaign brings the lead, the client is delivered, paid and supported.

World facts written here: ``journeys.campaign``, ``journeys.ticket``, ``journeys.ticket_answer``,
``sales.lead``."""

from __future__ import annotations

from decimal import Decimal

from hamcrest import assert_that, contains_exactly, equal_to, has_entries, none, not_none

from support.areas.billing import tasks as billing
from support.clients.paths import Compliance, CustomerCare, Sales
from support.clients.platform_api import Answer
from support.scenario.builders import client_email
from support.scenario.matchers import amount_of, refused_because
from support.scenario.money_text import Money
from support.scenario.personas import OWNER_PERSONA, SALES_PERSONA
from support.scenario.world import World


def start_campaign(world: World, name: str, budget: Decimal, currency: str) -> None:
    world.journeys.campaign = (
        world.actor(OWNER_PERSONA)
        .api.post(Sales.CAMPAIGNS, {"name": name, "budget": f"{budget:.2f}", "currency": currency})
        .expect_ok("starting a campaign")
    )


def lead_from_campaign(world: World, seller: str, company: str, value: Decimal, currency: str) -> None:
    actor = world.actor(seller)
    lead = actor.api.post(
        Sales.LEADS,
        {
            "company": company,
            "contact_name": f"Buyer at {company}",
            "contact_email": client_email(company, actor.tenant_slug),
            "estimated_value": f"{value:.2f}",
            "currency": currency,
            "campaign_id": world.journeys.campaign["id"],
        },
    ).expect_ok("capturing a lead from the campaign")
    world.sales.lead = actor.qualifies(lead)


def open_ticket(world: World, company: str, subject: str) -> None:
    """A ticket for ``company``, the client whose project is being delivered (recorded by sales for them)."""
    asked = _ticket_asked(world, world.sales.project["client_id"], company, subject, "the project delivered")
    world.journeys.ticket = asked.expect_ok("opening a ticket")


def try_to_open_ticket(world: World, company: str, subject: str) -> None:
    """``company``, the client of the open deal (its delivery not begun), asks for support."""
    world.journeys.ticket_answer = _ticket_asked(
        world, world.sales.deal["client_id"], company, subject, "the open deal"
    )


def _ticket_asked(world: World, client_id: str, company: str, subject: str, whose: str) -> Answer:
    """Sales asks for a ticket for the client ``client_id``, checked first to be ``company`` as the step says."""
    client = world.actor(OWNER_PERSONA).looks_at("clients", client_id)
    if client["name"] != company:
        raise AssertionError(f"{whose} is {client['name']!r}'s, not {company!r}'s as the step says")
    return world.actor(SALES_PERSONA).api.post(CustomerCare.TICKETS, {"client_id": client_id, "subject": subject})


def ticket_refused_before_delivery(world: World) -> None:
    """Refused naming the client (that the refusal kept nothing is checked after every step, everywhere)."""
    answer = world.journeys.ticket_answer
    assert_that(answer, refused_because("not_delivered"), "a ticket of a client whose delivery has not started")
    assert_that(answer.error_field, equal_to("client_id"), "the field the refusal names")


def change_ticket(world: World, name: str, verb: str, answer: str | None = None) -> None:
    ticket = world.journeys.ticket
    world.journeys.ticket_answer = world.actor(name).api.post(
        CustomerCare.ticket(ticket["id"], verb), {"answer": answer} if answer else None
    )


def ticket_change_accepted(world: World) -> None:
    world.journeys.ticket_answer.expect_ok("changing the ticket")


def ticket_is(world: World, status: str, answer: str | None) -> None:
    """The ticket in ``status`` with ``answer``; a closed one says when it was closed, any other says none."""
    ticket = world.actor(OWNER_PERSONA).looks_at("tickets", world.journeys.ticket["id"])
    closed_at = not_none() if status == "closed" else none()
    assert_that(ticket, has_entries(status=status, answer=answer, closed_at=closed_at), "the ticket")


def answers_kept(world: World, name: str, answers: list[str]) -> None:
    """``name`` reads the audit trail: each answer given on the ticket, in the order given (the ticket itself
    holds its latest)."""
    ticket_id = str(world.journeys.ticket["id"])
    given = [
        e["data"].get("answer")
        for e in world.actor(name).lists(Compliance.AUDIT)
        if e["action"] == "ticket_answered" and e["entity_id"] == ticket_id
    ]
    assert_that(given, equal_to(answers), "the answers given on the ticket, as the audit trail keeps them")


def ticket_change_refused(world: World) -> None:
    assert_that(world.journeys.ticket_answer, refused_because("invalid_state"), "a change to a closed ticket")


def campaign_return(world: World, name: str, leads: int, won: int, revenue: Money, result: Money) -> None:
    rows = [r for r in world.actor(OWNER_PERSONA).reads_report("campaigns") if r["name"] == name]
    assert_that(
        rows,
        contains_exactly(
            has_entries(leads=leads, deals_won=won, currency=revenue.currency, revenue=amount_of(revenue.amount))
        ),
        f"the {name} campaign",
    )
    assert_that(
        rows[0],
        has_entries(currency=result.currency, **{"return": amount_of(result.amount)}),
        f"the {name} campaign",
    )


def campaign_received_apart(world: World, name: str, received: Money) -> None:
    """The campaign shows ``received`` as the one currency other than its own it brought money in, apart."""
    rows = [r for r in world.actor(OWNER_PERSONA).reads_report("campaigns") if r["name"] == name]
    assert_that(
        rows,
        contains_exactly(
            has_entries(
                revenue_in_other_currencies=contains_exactly(
                    has_entries(currency=received.currency, amount=amount_of(received.amount))
                )
            )
        ),
        f"the {name} campaign's money received in other currencies than its own",
    )


def pays_in_full(world: World, company: str) -> None:
    invoice = world.billing.invoice
    billing.customer_pays(world, Decimal(invoice["total"]), invoice["currency"])
    assert_that(billing.last_payment(world).status, equal_to(201), f"{company}'s payment")
