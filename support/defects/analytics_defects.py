"""Defects in the analytics: figures across companies, events counted twice or lost, refunds forgotten, the
assistant's use miscounted."""

from __future__ import annotations

from typing import Any

from app.adapters.analytics_store import AnalyticsStore
from app.domain import analytics as rules
from app.service_layer import agent_runtime, analytics, assistant_threads
from support.defects.planting import replace


def analytics_across_companies() -> None:
    """The funnel's query forgets its company: every company's leads are counted in each one's funnel."""
    original = AnalyticsStore.rows

    def rows(self: Any, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        if "uniqExactIf(subject_id" in sql:
            sql = sql.replace("company = {company:UUID} AND ", "")
        return original(self, sql, params)

    replace(AnalyticsStore, "rows", rows)


def analytics_counts_duplicates() -> None:
    """The figures are read without FINAL: an event delivered twice counts twice."""
    original = AnalyticsStore.rows

    def rows(self: Any, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return original(self, sql.replace("FROM events FINAL", "FROM events"), params)

    replace(AnalyticsStore, "rows", rows)


def ingester_skips_an_event() -> None:
    """The ingester starts each batch one event past where the store stands: one event a batch is lost."""
    original = analytics.ingest_batch

    def ingest_batch(engine: Any, store: Any, up_to: dict[str, int], batch: int = analytics.BATCH) -> int:
        skipped = {company: seq + 1 for company, seq in up_to.items()}
        copied = original(engine, store, skipped, batch)
        up_to.update(skipped)
        return copied

    replace(analytics, "ingest_batch", ingest_batch)


def refunds_not_taken_off() -> None:
    """The money received per day forgets the refunds."""
    replace(rules, "received", lambda payments, refunds: payments)


def assistant_failures_not_recorded() -> None:
    """A run that fails is told to its asker but never recorded: the day's failures count none."""
    replace(assistant_threads, "record_failure", lambda *args, **kwargs: None)


def assistant_tokens_without_the_prompt() -> None:
    """A run's tokens are counted without the prompt's: the day's tokens fall short of what the answers said."""
    replace(agent_runtime, "_tokens", lambda usage: usage.get("completion_tokens", 0))


def lost_deals_counted_won() -> None:
    """The funnel's won stage counts the deals closed, lost or won: it reads the deal's closing, not its outcome."""
    original = AnalyticsStore.rows

    def rows(self: Any, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        if "uniqExactIf(subject_id" not in sql or params is None:
            return original(self, sql, params)
        closed = {**params, "actions": params["actions"].replace("'deal_won'", "'deal_won','deal_lost'")}
        found = original(self, sql, closed)
        lost = sum(int(row["events"]) for row in found if row["action"] == "deal_lost")
        kept = [row for row in found if row["action"] != "deal_lost"]
        won = next((row for row in kept if row["action"] == "deal_won"), None)
        if won is not None:
            won["events"] = int(won["events"]) + lost
        elif lost:
            kept.append({"action": "deal_won", "events": lost, "subjects": 0})
        return kept

    replace(AnalyticsStore, "rows", rows)


def invoices_paid_in_parts_counted_again() -> None:
    """The funnel's paid stage counts the payments, not the invoices paid: an invoice paid in two parts counts
    twice."""
    original = AnalyticsStore.rows

    def rows(self: Any, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return original(self, sql.replace("uniqExactIf(subject_id, action = {paid:String})", "count()"), params)

    replace(AnalyticsStore, "rows", rows)
