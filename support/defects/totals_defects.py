"""Defects in sums, edges and chains: right for one record in the middle, wrong at the ends or for several."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.adapters import payment_gateway, reports_repository
from app.adapters.company_cache import CompanyCache
from app.adapters.retry_policy import is_transient
from app.domain import audit, finance
from app.service_layer import billing, reports
from app.service_layer import customer_care as care
from support.defects.planting import replace


def ageing_edge_off_by_one() -> None:
    """Money exactly 30 days past due is aged in the 31-60 bucket (the edge taken with < instead of <=)."""

    def ageing_bucket(days_overdue: int) -> str:
        if days_overdue <= 0:
            return "current"
        if days_overdue < 30:
            return "days_1_30"
        if days_overdue <= 60:
            return "days_31_60"
        if days_overdue <= 90:
            return "days_61_90"
        return "days_90_plus"

    replace(reports, "ageing_bucket", ageing_bucket)
    replace(finance, "ageing_bucket", ageing_bucket)


def forecast_counts_won_deals() -> None:
    """The forecast's open pipeline also counts won deals (weighted as if still in negotiation)."""
    original = reports_repository.ReportsRepository.open_deals

    def open_deals(self: Any) -> list[dict[str, Any]]:
        from sqlalchemy import select

        from app.adapters.tables import opportunities

        rows = original(self)
        won = self._conn.execute(
            select(opportunities.c.currency, opportunities.c.amount).where(
                opportunities.c.tenant_id == self._company, opportunities.c.stage == "won"
            )
        )
        return rows + [{"currency": c, "amount": a, "stage": "negotiation"} for c, a in won]

    replace(reports_repository.ReportsRepository, "open_deals", open_deals)


def audit_newest_entry_unchecked() -> None:
    """Verifying the audit trail checks every link but the newest entry's own seal."""

    def first_broken_seq(entries: Iterable[tuple[audit.AuditRecord, str, str]]) -> int | None:
        chain = list(entries)
        expected_prev = audit.GENESIS_HASH
        for index, (record, prev_hash, stored_hash) in enumerate(chain):
            last = index == len(chain) - 1
            if prev_hash != expected_prev or (not last and audit.entry_hash(prev_hash, record) != stored_hash):
                return record.seq
            expected_prev = stored_hash
        return None

    replace(billing, "first_broken_seq", first_broken_seq)


def ageing_cache_ignores_the_date() -> None:
    """The receivables report is cached per company only: a second date gets the first date's figures."""
    original = CompanyCache.cached

    def cached(self: Any, company_id: Any, name: str, compute: Any, **options: Any) -> Any:
        return original(self, company_id, "ageing" if name.startswith("ageing:") else name, compute, **options)

    replace(CompanyCache, "cached", cached)


def declined_card_retried() -> None:
    """A declined card counts as a passing fault: the charge is sent again, twice, before the refusal comes back."""
    from tenacity import AsyncRetrying, Retrying, retry_if_exception, stop_after_attempt, wait_fixed

    from app.domain.errors import PaymentDeclined

    def policy(attempts: int) -> dict[str, Any]:
        retry = retry_if_exception(lambda exc: is_transient(exc) or isinstance(exc, PaymentDeclined))
        return {"stop": stop_after_attempt(attempts), "wait": wait_fixed(0.05), "retry": retry, "reraise": True}

    def with_retries(attempt: Any, *, attempts: int = 3, **_: Any) -> Any:
        return Retrying(**policy(attempts))(attempt)

    async def with_retries_async(attempt: Any, *, attempts: int = 3, **_: Any) -> Any:
        return await AsyncRetrying(**policy(attempts))(attempt)

    replace(payment_gateway, "with_retries", with_retries)
    replace(payment_gateway, "with_retries_async", with_retries_async)


def cache_trusts_what_it_reads() -> None:
    """A cached report is served as whatever the cache holds: an unreadable entry answers 500 until it expires."""
    import json

    def readable(self: Any, key: str) -> Any:
        raw = self._redis.get(key)
        return None if raw is None else json.loads(raw)

    replace(CompanyCache, "_readable", readable)


def page_edge_read_twice() -> None:
    """A page starts at the last record of the page before instead of after it: that record is read twice."""
    from dataclasses import replace as with_fields
    from datetime import timedelta

    from app.adapters.sales_repository import SalesRepository

    original = SalesRepository.list

    def listing(self: Any, kind: Any, *, page: Any = None, **options: Any) -> Any:
        if page is not None and page.after is not None:  # one microsecond earlier: the boundary record comes again
            earlier = with_fields(page.after, created_at=page.after.created_at - timedelta(microseconds=1))
            page = with_fields(page, after=earlier)
        return original(self, kind, page=page, **options)

    replace(SalesRepository, "list", listing)


def campaign_returns_add_up_every_currency() -> None:
    """A campaign's revenue adds up the money received in every currency as if it were the campaign's own (the
    return with it)."""
    original = reports_repository.ReportsRepository.campaign_returns

    def campaign_returns(self: Any) -> list[dict[str, Any]]:
        rows = original(self)
        for row in rows:
            row["revenue"] += sum((money["amount"] for money in row["revenue_in_other_currencies"]), 0)
            row["revenue_in_other_currencies"] = []
        return rows

    replace(reports_repository.ReportsRepository, "campaign_returns", campaign_returns)


def campaign_leads_counted_for_every_campaign() -> None:
    """Each campaign's return counts the leads every campaign brought (the count forgets which campaign)."""
    original = reports_repository.ReportsRepository.campaign_returns

    def campaign_returns(self: Any) -> list[dict[str, Any]]:
        rows = original(self)
        brought = sum(row["leads"] for row in rows)
        return [{**row, "leads": brought} for row in rows]

    replace(reports_repository.ReportsRepository, "campaign_returns", campaign_returns)


def campaign_return_the_wrong_way_round() -> None:
    """A campaign's return is its budget less its revenue, not its revenue less its budget."""
    original = care.campaign_returns

    def campaign_returns(uow: Any, principal: Any) -> list[dict[str, Any]]:
        return [{**row, "return": row["budget"] - row["revenue"]} for row in original(uow, principal)]

    replace(care, "campaign_returns", campaign_returns)
