"""The analytics store's figures: the funnel, money received per day, the platform's use, and how fresh they are."""

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


class UsageDay(Out):
    day: date
    sign_ins: int  # people signed in
    failed_sign_ins: int  # sign-ins refused for a wrong password to a real account
    questions: int  # questions taken
    answered: int  # runs that ended with an answer
    failed: int  # runs that ended without one (the model away, cancelled, a limit reached...)
    tool_calls: int  # tool calls the assistant ran (each recorded as an event of its own)
    tokens: int  # tokens the model reported for the runs that ended
    p95_answer_ms: int  # 95 in 100 answers came within this many milliseconds of the run's start


class UsageOut(Out):
    first: date = Field(alias="from", serialization_alias="from")
    to: date
    days: list[UsageDay]


class FreshnessOut(Out):
    events_waiting: int  # business events recorded and not yet in the store
    newest_event_at: datetime | None
