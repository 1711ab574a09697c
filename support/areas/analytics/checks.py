"""What the analytics must show: each stage of the funnel, the money received to the cent and in agreement
with the platform's own records, the platform's use as its people saw it, nothing of another company, and
freshness within a stated time."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from hamcrest import (
    all_of,
    assert_that,
    equal_to,
    greater_than_or_equal_to,
    has_entries,
    less_than,
    less_than_or_equal_to,
)
from hamcrest.core.matcher import Matcher

from support.areas.analytics import tasks as analytics
from support.clients.analytics_store_reader import AnalyticsStoreReader
from support.clients.paths import Compliance
from support.scenario.eventually import eventually
from support.scenario.money_text import Money
from support.scenario.personas import OWNER_PERSONA
from support.scenario.world import World


def is_refused_request() -> Matcher[int]:
    """A status of 4xx: the request itself was refused (the caller's to correct)."""
    return all_of(greater_than_or_equal_to(400), less_than(500))


def caught_up_within(world: World, seconds: int, company: str | None = None) -> None:
    """Every event the company recorded is in the store within ``seconds``; the store then says its newest is
    the newest of the company's audit trail (each event is an entry of it)."""

    def none_waiting() -> None:
        fresh = analytics.waiting(world, company)
        assert_that(fresh["events_waiting"], equal_to(0), "business events recorded and not yet in the analytics")
        trail = world.actor(OWNER_PERSONA, company).lists(Compliance.AUDIT)
        newest = max(datetime.fromisoformat(entry["occurred_at"]) for entry in trail)
        assert_that(
            fresh["newest_event_at"] and datetime.fromisoformat(fresh["newest_event_at"]),
            equal_to(newest),
            "the newest event the analytics hold, against the newest entry of the company's trail",
        )

    eventually(none_waiting, timeout=seconds, interval=0.25)


def funnel_shows(world: World, expected: dict[str, int]) -> None:
    assert_that(analytics.funnel(world), equal_to(expected), "this month's funnel, stage by stage")


def sees_leads(world: World, name: str, company: str | None, leads: int) -> None:
    counted = analytics.funnel(world, name, company)
    assert_that(counted["leads"], equal_to(leads), f"the leads in the funnel {name} reads")


def received_today_is(world: World, amounts: list[Money]) -> None:
    """Today's money received, per currency, is as stated and as much as the invoices were paid (less refunds)."""
    shown = analytics.received_today(world)
    assert_that(shown, equal_to({m.currency: m.amount for m in amounts}), "money received today in the analytics")
    # the platform's own record of money kept: what its invoices have been paid, refunds taken off
    summary = world.actor(OWNER_PERSONA).reads_sales_summary()
    kept = {
        row["currency"]: Decimal(row["invoiced"]) - Decimal(row["outstanding"])
        for row in summary["currencies"]
        if Decimal(row["invoiced"]) - Decimal(row["outstanding"])
    }
    assert_that(shown, equal_to(kept), "money received today in the analytics against what the invoices were paid")


def stored_twice_counted_once(world: World) -> None:
    """The events lie twice in the store (the check would prove nothing otherwise) and count once."""
    store = AnalyticsStoreReader(world.inspectors.config.analytics_url)
    fresh = analytics.waiting(world)
    assert_that(fresh, has_entries(events_waiting=0), "events waiting")
    stored, distinct = store.rows_lying(world.tenant_id)
    assert_that(stored, equal_to(2 * distinct), "the company's rows as stored: each of its events twice")


def told_unavailable(world: World, name: str) -> None:
    answer = analytics.read(world, name, None, "freshness")
    assert_that(
        (answer.status, answer.error_code, answer.headers.get("Retry-After") is not None),
        equal_to((503, "dependency_unavailable", True)),
        f"{name} reading the analytics with the store down (status, reason, told when to try again)",
    )


def refused_naming(world: World, name: str, days: str, first: str, field: str) -> None:
    answer = analytics.read(world, name, None, "funnel", **{"from": first, "days": days})
    assert_that(answer.status, is_refused_request(), f"the funnel asked for {days} days from {first}")
    assert_that(answer.body["error"]["field"], equal_to(field), "the field the refusal names")


def captures_unhurried(world: World, seller: str, count: int, seconds: float) -> None:
    """``seller`` captures ``count`` leads, one after the other, in at most ``seconds`` in all."""
    took = analytics.timed_burst(world, seller, count)
    assert_that(took, less_than(seconds), f"seconds {seller} took to capture {count} leads with the store slow")


def campaign_converts(world: World, leads: int, won: int) -> None:
    """The scenario's campaign, and only it, with the leads it brought and the deals won from them."""
    campaigns = analytics.funnel_read(world)["campaigns"]
    expected = [{"campaign_id": world.journeys.campaign["id"], "leads": leads, "won": won}]
    assert_that(campaigns, equal_to(expected), "this month's conversion per campaign")


def usage_today_is(world: World, expected: dict[str, int]) -> None:
    """Today's failed sign-ins, questions, answers and failures, as stated."""
    day = analytics.usage_today(world)
    assert_that({key: day[key] for key in expected}, equal_to(expected), "today's use of the platform")


def usage_as_told(world: World) -> None:
    """Today's sign-ins are those the scenario's people made (each signs in once, on first mention), its tool
    calls those the askers saw run, its tokens those the runs' ends told, and the slowest twentieth of today's
    answers came no later than the slowest answer an asker waited for (start to end). Where the harness reads the
    analytics store, each tool call there has the tool and the ending (unless ok) its asker was told."""
    day = analytics.usage_today(world)
    signed_in = len(world.home.actors)
    calls = sum(1 for run in world.assistant.runs for e in run.events if e["type"] == "tool_executing")
    told, waited = 0, []
    for run in world.assistant.runs:
        started, ended = run.events[0], run.events[-1]  # failed or answered, each end tells the tokens used
        told += ended["data"].get("usage", {}).get("total_tokens", 0)
        if ended["type"] == "agent_completed":
            took = datetime.fromisoformat(ended["ts"]) - datetime.fromisoformat(started["ts"])
            waited.append(took.total_seconds() * 1000)
    assert_that(
        {"sign-ins": day["sign_ins"], "tool calls": day["tool_calls"], "tokens": day["tokens"]},
        equal_to({"sign-ins": signed_in, "tool calls": calls, "tokens": told}),
        "today's use against the people who signed in, the tool calls the askers saw run and the tokens each"
        " run's end told",
    )
    assert_that(
        day["p95_answer_ms"],
        all_of(greater_than_or_equal_to(1), less_than_or_equal_to(max(waited))),
        f"milliseconds of today's slowest twentieth of answers, against the answers waited for ({waited})",
    )
    store = AnalyticsStoreReader(world.inspectors.config.analytics_url)
    if store.available:  # what an operator reads of each call, as the store keeps it
        assert_that(
            store.tool_calls(world.tenant_id),
            equal_to(sorted(_tool_calls_told(world))),
            "each tool call in the analytics store (its tool, and how it ended unless ok) against what the askers"
            " were told",
        )


def _tool_calls_told(world: World) -> list[tuple[str, str]]:
    """Each tool call the askers saw run: its tool, and how it ended ('' when ok), as its result told them."""
    told = []
    for run in world.assistant.runs:
        tools = {e["tool_call_id"]: e["data"]["tool"] for e in run.events if e["type"] == "tool_executing"}
        for ended in (e for e in run.events if e["type"] == "tool_completed"):
            status = ended["data"]["status"]
            told.append((tools[ended["tool_call_id"]], "" if status == "ok" else status))
    return told
