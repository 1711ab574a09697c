"""The company's analytics, read from the analytics store (read-only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.adapters.analytics_store import AnalyticsStore
from app.bootstrap import Platform
from app.domain.analytics import LONGEST_SPAN_DAYS, Span
from app.domain.errors import DependencyUnavailable
from app.domain.roles import Permission
from app.entrypoints.http.deps import CurrentUser, PlatformDep, needs
from app.entrypoints.http.schemas.analytics import FreshnessOut, FunnelOut, RevenueOut, UsageOut
from app.entrypoints.http.schemas.common import IsoDate
from app.service_layer import analytics

router = APIRouter(tags=["analytics"])
From = Annotated[IsoDate, Query(alias="from", description="The first day (UTC), YYYY-MM-DD.")]
Days = Annotated[int, Query(ge=1, le=LONGEST_SPAN_DAYS, description="How many days from the first, it included.")]


def _store(platform: Platform) -> AnalyticsStore:
    if platform.analytics is None:
        raise DependencyUnavailable("analytics", "no analytics store is configured (ANALYTICS_URL)", retry_after=60)
    return platform.analytics


@router.get("/analytics/funnel", response_model=FunnelOut, openapi_extra=needs(Permission.READ_ANALYTICS))
def funnel(principal: CurrentUser, platform: PlatformDep, first: From, days: Days = 1) -> dict:
    """Leads, qualified leads, won deals, issued invoices and invoices with money received, in the span."""
    return analytics.funnel(_store(platform), principal, Span.of(first, days))


@router.get("/analytics/revenue", response_model=RevenueOut, openapi_extra=needs(Permission.READ_ANALYTICS))
def revenue(principal: CurrentUser, platform: PlatformDep, first: From, days: Days = 1) -> dict:
    """Money received (payments less refunds) per day and currency, in the span."""
    return analytics.revenue(_store(platform), principal, Span.of(first, days))


@router.get("/analytics/usage", response_model=UsageOut, openapi_extra=needs(Permission.READ_ANALYTICS))
def usage(principal: CurrentUser, platform: PlatformDep, first: From, days: Days = 1) -> dict:
    """The platform's use per day: sign-ins, and the assistant's questions, answers, failures, tool calls,
    tokens and time to answer."""
    return analytics.usage(_store(platform), principal, Span.of(first, days))


@router.get("/analytics/freshness", response_model=FreshnessOut, openapi_extra=needs(Permission.READ_ANALYTICS))
def freshness(principal: CurrentUser, platform: PlatformDep) -> dict:
    """How many of the company's business events are recorded and not yet in the store."""
    return analytics.freshness(platform.engine, _store(platform), principal)
