"""The analytics store's figures: the funnel, money received per day, and how fresh they are."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field

from app.entrypoints.http.schemas.common import Out


class FunnelStage(Out):
    stage: Literal["leads", "qualified", "won", "invoiced", "paid"]
    count: int


class CampaignConversion(Out):
    campaign_id: str
    leads: int  # leads the campaign brought in the span
    won: int  # deals won in the span from the campaign's leads


class FunnelOut(Out):
    first: date = Field(alias="from", serialization_alias="from")
    to: date
    stages: list[FunnelStage]
    campaigns: list[CampaignConversion]  # each campaign that brought a lead or a won deal in the span


class RevenueDay(Out):
    day: date
    currency: str
    received: Decimal


class RevenueOut(Out):
    first: date = Field(alias="from", serialization_alias="from")
    to: date
    days: list[RevenueDay]


class FreshnessOut(Out):
    events_waiting: int  # business events recorded and not yet in the store
    newest_event_at: datetime | None
