"""Reports over the company's own data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.domain.roles import Permission
from app.entrypoints.http.deps import CurrentUser, PlatformDep, needs
from app.entrypoints.http.schemas.common import IsoDate, Month
from app.entrypoints.http.schemas.reports import (
    ActivityOut,
    AgeingOut,
    CacheStatsOut,
    ForecastOut,
    ProfitAndLossOut,
    RevenueMonth,
    SalesSummaryOut,
)
from app.service_layer import reports

router = APIRouter(tags=["reports"])


@router.get("/reports/sales-summary", response_model=SalesSummaryOut, openapi_extra=needs(Permission.READ_REPORTS))
def sales_summary(principal: CurrentUser, platform: PlatformDep) -> dict:
    """Open pipeline, won, invoiced, received and outstanding amounts, per currency."""
    return reports.sales_summary(platform.uow, platform.cache, principal)


@router.get("/reports/profit-and-loss", response_model=ProfitAndLossOut, openapi_extra=needs(Permission.READ_REPORTS))
def profit_and_loss(
    principal: CurrentUser, platform: PlatformDep, month: Month, months: Annotated[int, Query(ge=1, le=36)] = 1
) -> dict:
    """Revenue less cost of sales (commissions) for whole months from ``month`` (YYYY-MM), per currency."""
    return reports.profit_and_loss(platform.uow, platform.cache, principal, month=month, months=months)


@router.get(
    "/reports/revenue-by-month", response_model=list[RevenueMonth], openapi_extra=needs(Permission.READ_REPORTS)
)
def revenue_by_month(principal: CurrentUser, platform: PlatformDep) -> list[dict]:
    """Payments received per month and currency."""
    return reports.revenue_by_month(platform.uow, platform.cache, principal)


@router.get("/reports/receivables-ageing", response_model=AgeingOut, openapi_extra=needs(Permission.READ_REPORTS))
def receivables_ageing(principal: CurrentUser, platform: PlatformDep, as_of: IsoDate) -> dict:
    """Amounts still due by days past due, as of a date."""
    return reports.receivables_ageing(platform.uow, platform.cache, principal, as_of=as_of)


@router.get("/reports/forecast", response_model=ForecastOut, openapi_extra=needs(Permission.READ_REPORTS))
def forecast(principal: CurrentUser, platform: PlatformDep) -> dict:
    """Open pipeline weighted by each stage's probability of closing."""
    return reports.forecast(platform.uow, platform.cache, principal)


@router.get("/reports/cache-stats", response_model=CacheStatsOut, openapi_extra=needs(Permission.READ_REPORTS))
def cache_stats(principal: CurrentUser, platform: PlatformDep) -> dict:
    """How many times this tenant's reports have been computed (a cold report asked by many counts once)."""
    return reports.cache_statistics(platform.cache, principal)


@router.get("/reports/activity", response_model=ActivityOut, openapi_extra=needs(Permission.READ_REPORTS))
def activity(principal: CurrentUser, platform: PlatformDep, day: IsoDate) -> dict:
    """Business events of one day (UTC): how many of each, and the money they moved."""
    return reports.activity(platform.uow, platform.cache, principal, day=day)
