"""The analytics read and fed: a company's funnel made from real sales work, the figures read, the store's
events delivered twice.

World facts written here: ``analytics.answer``."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hamcrest import assert_that, greater_than

from support.areas.sales import tasks as sales
from support.clients.analytics_store_reader import AnalyticsStoreReader
from support.clients.faults import DoubleFault, InstanceCrash
from support.clients.paths import Analytics
from support.clients.platform_api import Answer
from support.scenario.personas import OWNER_PERSONA
from support.scenario.world import World

CLIENTS = ("Globex", "Initech", "Umbrella", "Hooli", "Vehement", "Massive Dynamic")


def leads_through_the_funnel(
    world: World, seller: str, leads: int, qualified: int, won: int, value: Decimal, currency: str
) -> None:
    """``leads`` leads of different clients; the first ``qualified`` qualified; deals won from the first ``won``
    (the last won is the scenario's deal and project)."""
    for number in range(leads):
        client = CLIENTS[number % len(CLIENTS)]
        if number < qualified:
            sales.qualified_lead(world, seller, client, value, currency)
        else:
            sales.captured_lead(world, seller, client, value, currency)
        if number < won:
            sales.convert_lead(world, seller).expect_ok(f"{seller} turning the lead into a deal")
            sales.win_deal(world, seller)


def this_month() -> dict[str, str]:
    today = datetime.now(UTC).date()
    return {"from": today.replace(day=1).isoformat(), "days": str(today.day)}


def read(world: World, name: str, company: str | None, figure: str, **span: str) -> Answer:
    """``name`` (of ``company``) reads a figure of the analytics (funnel, revenue, usage, freshness)."""
    answer = world.actor(name, company).api.call("GET", Analytics.figure(figure), params=span or None)
    world.analytics.answer = world.answered(name, answer)
    return answer


def funnel_read(world: World, name: str = OWNER_PERSONA, company: str | None = None) -> dict[str, Any]:
    """This month's funnel as ``name`` (of ``company``) reads it: its stages and its campaigns."""
    body: dict[str, Any] = read(world, name, company, "funnel", **this_month()).expect_ok(f"{name} reading the funnel")
    return body


def funnel(world: World, name: str = OWNER_PERSONA, company: str | None = None) -> dict[str, int]:
    return {stage["stage"]: stage["count"] for stage in funnel_read(world, name, company)["stages"]}


def received_today(world: World) -> dict[str, Decimal]:
    today = datetime.now(UTC).date().isoformat()
    body = read(world, OWNER_PERSONA, None, "revenue", **{"from": today, "days": "1"}).expect_ok("reading revenue")
    return {day["currency"]: Decimal(day["received"]) for day in body["days"]}


def usage_today(world: World) -> dict[str, Any]:
    """Today's use of the platform as the owner reads it (all zero when the day has none)."""
    today = datetime.now(UTC).date().isoformat()
    body = read(world, OWNER_PERSONA, None, "usage", **{"from": today, "days": "1"}).expect_ok(
        "reading the platform's use"
    )
    keys = ("sign_ins", "failed_sign_ins", "questions", "answered", "failed", "tool_calls", "tokens", "p95_answer_ms")
    days = body["days"] or [dict.fromkeys(keys, 0)]
    return dict(days[0])


def waiting(world: World, company: str | None = None) -> dict[str, Any]:
    return read(world, OWNER_PERSONA, company, "freshness").expect_ok("reading how fresh the analytics are")


def delivered_again(world: World) -> None:
    """Every event of the scenario's company reaches the store once more (as a retried batch's would)."""
    store = AnalyticsStoreReader(world.inspectors.config.analytics_url)
    world.on_cleanup(store.let_merges_run)
    added = store.deliver_again(world.tenant_id)
    assert_that(added, greater_than(0), "events of the company delivered to the store a second time")


def every_instance_killed_and_started(world: World) -> None:
    """Each platform instance killed outright (whichever held the ingester's lease, mid-work or not) and
    started again, one after the other."""
    control = world.inspectors.config.stack_control_url
    if not control:
        raise AssertionError("killing the platform's instances needs the embedded stack (STACK_CONTROL_URL)")
    for instance in ("platform-2", "platform"):
        InstanceCrash(control, instance).heal()


def store_slows_down(world: World, milliseconds: int) -> None:
    """Every query of the analytics store waits that long first (the embedded store's latency fault)."""
    url = world.inspectors.config.analytics_url
    if not url:
        raise AssertionError("slowing the analytics store needs its address (ANALYTICS_URL) and the embedded store")
    fault = DoubleFault(url, {"latency_ms": milliseconds})
    world.on_cleanup(fault.heal)


def timed_burst(world: World, seller: str, count: int) -> float:
    """Seconds ``seller`` takes to capture ``count`` leads one after the other."""
    began = time.perf_counter()
    leads_through_the_funnel(world, seller, count, 0, 0, Decimal("100.00"), "EUR")
    return time.perf_counter() - began
