"""Mistaken input: sent, refused with the field named, and nothing saved."""

from __future__ import annotations

from hamcrest import all_of, assert_that, empty, equal_to, greater_than_or_equal_to, has_entries, less_than

from support.areas.common import bad_requests
from support.clients.paths import Sales
from support.scenario.builders import idempotency_key
from support.scenario.personas import OWNER_PERSONA
from support.scenario.world import World


def send_lead_with(world: World, seller: str, mistake: str) -> None:
    world.answered(seller, bad_requests.lead_mistakes()[mistake](world.actor(seller).api))


def send_payment_with(world: World, biller: str, mistake: str) -> None:
    send = bad_requests.payment_mistakes(world.billing.invoice["id"], idempotency_key())[mistake]
    world.answered(biller, send(world.actor(biller).api))


def look_for_lead_by_malformed_reference(world: World, seller: str) -> None:
    world.answered(seller, world.actor(seller).api.get(Sales.lead("not-a-lead-reference")))


def told_to_fix(world: World, name: str, field_words: str) -> None:
    answer = world.answer_to(name)
    assert_that(answer.status, all_of(greater_than_or_equal_to(400), less_than(500)), "a refusal, not a crash")
    assert_that(
        answer.body,
        has_entries(error=has_entries(field=bad_requests.FIELDS[field_words])),
        "a JSON error naming the field to fix",
    )


def no_lead_saved(world: World) -> None:
    assert_that(world.actor(OWNER_PERSONA).lists(Sales.LEADS), empty(), "the company's leads")
    rows = world.db.rows("leads_of_tenant", tenant=world.tenant_id)
    if rows is not None:
        assert_that(rows, empty(), "stored leads")


def lead_saved_as_written(world: World, company: str) -> None:
    lead = world.actor(OWNER_PERSONA).looks_at("leads", world.sales.lead["id"])
    assert_that(lead["company"], equal_to(company), "the company name the platform shows")
    rows = world.db.rows("leads_of_tenant", tenant=world.tenant_id)
    if rows is not None:
        assert_that([r["company"] for r in rows], equal_to([company]), "the company name as stored")
