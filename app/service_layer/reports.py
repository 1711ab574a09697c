"""Reports over a company's data, served from the company's cache when fresh."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from app.adapters.company_cache import CompanyCache
from app.adapters.unit_of_work import UnitOfWorkFactory
from app.domain.analytics import Span
from app.domain.finance import AGEING_BUCKETS, ageing_bucket, weighted
from app.domain.roles import Permission
from app.domain.sales import Stage
from app.service_layer.principal import Principal


def sales_summary(uow: UnitOfWorkFactory, cache: CompanyCache, principal: Principal) -> dict[str, Any]:
    principal.require(Permission.READ_REPORTS)

    def compute() -> dict[str, Any]:
        with uow(company=principal.company_id) as u:
            per_currency = u.reports.sales_summary()
        return {
            "currencies": [
                {"currency": c, **{k: f"{v:.2f}" for k, v in amounts.items()}}
                for c, amounts in sorted(per_currency.items())
            ]
        }

    return cache.cached(principal.company_id, "sales-summary", compute)


def _per_currency(rows: dict[str, dict[str, Decimal]]) -> list[dict[str, str]]:
    return [{"currency": c, **{k: f"{v:.2f}" for k, v in figures.items()}} for c, figures in sorted(rows.items())]


def profit_and_loss(
    uow: UnitOfWorkFactory, cache: CompanyCache, principal: Principal, *, month: str, months: int
) -> dict[str, Any]:
    """Revenue (net invoiced in the months) less cost of sales (commissions earned in them), per currency."""
    principal.require(Permission.READ_REPORTS)
    year, first = (int(part) for part in month.split("-"))
    start = date(year, first, 1)
    last = year * 12 + first - 1 + months
    end = date(last // 12, last % 12 + 1, 1)

    def compute() -> dict[str, Any]:
        begin, finish = (datetime.combine(d, time.min, UTC) for d in (start, end))
        with uow(company=principal.company_id) as u:
            rows = u.reports.revenue_and_costs(begin, finish)
        figures = {
            c: {"revenue": r["revenue"], "cost_of_sales": r["costs"], "gross_profit": r["revenue"] - r["costs"]}
            for c, r in rows.items()
        }
        return {"month": month, "months": months, "currencies": _per_currency(figures)}

    return cache.cached(principal.company_id, f"profit-and-loss:{month}:{months}", compute)


def receivables_ageing(
    uow: UnitOfWorkFactory, cache: CompanyCache, principal: Principal, *, as_of: date
) -> dict[str, Any]:
    """Amounts still due, by days past due as of a date: current, 1-30, 31-60, 61-90, 90+."""
    principal.require(Permission.READ_REPORTS)

    def compute() -> dict[str, Any]:
        with uow(company=principal.company_id) as u:
            rows = u.reports.open_invoices()
        buckets: dict[str, dict[str, Decimal]] = {}
        for row in rows:
            days = (as_of - row["due_at"].date()).days  # an open invoice was issued, so it has a due date
            per = buckets.setdefault(row["currency"], {b: Decimal("0.00") for b in AGEING_BUCKETS})
            per[ageing_bucket(days)] += row["due"]
        return {"as_of": as_of.isoformat(), "currencies": _per_currency(buckets)}

    return cache.cached(principal.company_id, f"ageing:{as_of}", compute)


def forecast(uow: UnitOfWorkFactory, cache: CompanyCache, principal: Principal) -> dict[str, Any]:
    """The weighted pipeline: each open deal's amount times its stage's probability, summed per currency."""
    principal.require(Permission.READ_REPORTS)

    def compute() -> dict[str, Any]:
        with uow(company=principal.company_id) as u:
            deals = u.reports.open_deals()
        totals: dict[str, dict[str, Decimal]] = {}
        for deal in deals:
            per = totals.setdefault(deal["currency"], {"open": Decimal("0.00"), "weighted": Decimal("0.00")})
            per["open"] += deal["amount"]
            per["weighted"] += weighted(deal["amount"], Stage(deal["stage"]))
        return {"currencies": _per_currency(totals)}

    return cache.cached(principal.company_id, "forecast", compute)


def cache_statistics(cache: CompanyCache, principal: Principal) -> dict[str, Any]:
    principal.require(Permission.READ_REPORTS)
    return {"computations": cache.computations(principal.company_id)}


def revenue_by_month(uow: UnitOfWorkFactory, cache: CompanyCache, principal: Principal) -> list[dict[str, Any]]:
    principal.require(Permission.READ_REPORTS)

    def compute() -> list[dict[str, Any]]:
        with uow(company=principal.company_id) as u:
            return [{**r, "received": f"{r['received']:.2f}"} for r in u.reports.revenue_by_month()]

    return cache.cached(principal.company_id, "revenue-by-month", compute)


def activity(uow: UnitOfWorkFactory, cache: CompanyCache, principal: Principal, *, day: date) -> dict[str, Any]:
    """What happened in the business on a day (UTC): each kind of event, how often, and the money it moved."""
    principal.require(Permission.READ_REPORTS)

    def compute() -> dict[str, Any]:
        span = Span.of(day, 1)  # the calendar's last day has no day after it
        start = datetime.combine(span.first, time.min, UTC)
        end = datetime.combine(span.end, time.min, UTC) if span.end is not None else None
        with uow(company=principal.company_id) as u:
            rows = u.reports.activity_on(start, end)
        return {"day": day.isoformat(), "events": [{**r, "amount": f"{r['amount']:.2f}"} for r in rows]}

    return cache.cached(principal.company_id, f"activity-by-currency:{day}", compute)
