"""Bursts of business activity, and the day's counts and sums the platform reports for them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hamcrest import assert_that, equal_to, has_entries, has_item

from support.areas.finance.reports import database_to_date, instant_in_utc
from support.clients.database_tamper import date_audit_entry
from support.scenario.async_runner import run_async
from support.scenario.matchers import amount_of
from support.scenario.money_text import Money, parse_money
from support.scenario.personas import OWNER_PERSONA
from support.scenario.world import World


def burst_of_leads(world: World, name: str, company: str | None, count: int, value: Decimal, currency: str) -> None:
    actor = world.actor(name, company)

    async def burst() -> None:
        await asyncio.gather(
            *(asyncio.to_thread(actor.captures_lead, f"Prospect {n}", value, currency) for n in range(count))
        )

    run_async(burst())


# events whose name in the trail keeps an older word (the audit's actions are part of the v1 API)
RECORDED_AS = {"company_created": "tenant_created"}


def event_name(words: str) -> str:
    """ "leads captured" -> "lead_captured"; "company created" -> "tenant_created" (as the trail records it)."""
    noun, _, verb = words.partition(" ")
    name = f"{noun.removesuffix('s')}_{verb.replace(' ', '_')}"
    return RECORDED_AS.get(name, name)


def activity_today_shows(world: World, company: str | None, count: int, event: str, amount: Money) -> None:
    report = world.actor(OWNER_PERSONA, company).reads_report("activity", day=datetime.now(UTC).date().isoformat())
    assert_that(
        report["events"],
        has_item(
            has_entries(event=event_name(event), currency=amount.currency, count=count, amount=amount_of(amount.amount))
        ),
        f"today's {event} events of {company or 'the company'}",
    )


def activity_today_moves_no_money(world: World, company: str | None, count: int, event: str) -> None:
    """Today's ``event`` events are counted with no currency and an amount of nothing: they move no money."""
    report = world.actor(OWNER_PERSONA, company).reads_report("activity", day=datetime.now(UTC).date().isoformat())
    assert_that(
        report["events"],
        has_item(has_entries(event=event_name(event), currency=None, count=count, amount="0.00")),
        f"today's {event} events of {company or 'the company'}, which move no money",
    )


def no_activity_the_day_before_or_after(world: World, company: str | None, event: str) -> None:
    """Yesterday's and tomorrow's activity hold none of today's ``event`` events: a day ends where the next begins."""
    today = datetime.now(UTC).date()
    counted = {}
    for day in (today - timedelta(days=1), today + timedelta(days=1)):
        report = world.actor(OWNER_PERSONA, company).reads_report("activity", day=day.isoformat())
        counted[day.isoformat()] = [e["count"] for e in report["events"] if e["event"] == event_name(event)]
    assert_that(
        counted,
        equal_to({day: [] for day in counted}),
        f"{event} of {company or 'the company'} counted on the day before and the day after today",
    )


def leads_recorded_at(world: World, name: str, rows: list[dict[str, str]]) -> None:
    """Per row, the person named captures a lead from ``client`` worth ``worth``; the harness then dates its entry
    in the trail at the row's instant (UTC)."""
    database_url = database_to_date(world, "a trail entry")
    for row in rows:
        value, currency = parse_money(row["worth"])
        lead = world.actor(name).captures_lead(row["client"], value, currency)
        instant = instant_in_utc(row["recorded at (UTC)"])
        date_audit_entry(database_url, world.tenant_id, lead["id"], "lead_captured", instant)


def leads_per_day(world: World, rows: list[dict[str, str]]) -> None:
    """Per row, the activity of ``day`` counts that many leads captured worth that much ("none": no such event)."""
    seen, expected = [], []
    for row in rows:
        report = world.actor(OWNER_PERSONA).reads_report("activity", day=row["day"])
        seen.append(
            (
                row["day"],
                [(e["count"], e["amount"], e["currency"]) for e in report["events"] if e["event"] == "lead_captured"],
            )
        )
        if row["leads captured"] == "none":
            expected.append((row["day"], []))
        else:
            value, currency = parse_money(row["worth"])
            expected.append((row["day"], [(int(row["leads captured"]), f"{value:.2f}", currency)]))
    assert_that(seen, equal_to(expected), "leads captured per day (day, [(count, worth, currency)])")
