"""Finance reports and the day's activity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.entrypoints.http.schemas.common import (
    Out,
)


class CurrencySummaryOut(Out):
    currency: str
    open_pipeline: Decimal
    won: Decimal
    invoiced: Decimal
    received: Decimal
    outstanding: Decimal


class SalesSummaryOut(Out):
    currencies: list[CurrencySummaryOut]


class ProfitAndLossLine(Out):
    currency: str
    revenue: Decimal
    cost_of_sales: Decimal
    gross_profit: Decimal


class ProfitAndLossOut(Out):
    month: str
    months: int
    currencies: list[ProfitAndLossLine]


class AgeingLine(Out):
    currency: str
    current: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    days_90_plus: Decimal


class AgeingOut(Out):
    as_of: date
    currencies: list[AgeingLine]


class ForecastLine(Out):
    currency: str
    open: Decimal
    weighted: Decimal


class ForecastOut(Out):
    currencies: list[ForecastLine]


class RevenueMonth(Out):
    month: str
    currency: str
    received: Decimal


class CacheStatsOut(Out):
    computations: int | None


class ActivityLine(Out):
    event: str
    currency: str | None  # the money's; none for an event that moves none (or was recorded before it was named)
    count: int
    amount: Decimal


class ActivityOut(Out):
    day: date
    events: list[ActivityLine]
