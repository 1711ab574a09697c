"""Campaigns and customer-care tickets."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import (
    Field,
)

from app.entrypoints.http.schemas.common import (
    Amount,
    Currency,
    Name,
    Out,
    Strict,
    Text,
)


class CampaignIn(Strict):
    name: Name
    budget: Amount
    currency: Currency = "EUR"


class CampaignOut(Out):
    id: uuid.UUID
    name: str
    budget: Decimal
    currency: str
    created_at: datetime


class MoneyReceived(Out):
    currency: str
    amount: Decimal


class CampaignReturnOut(Out):
    campaign_id: uuid.UUID
    name: str
    currency: str
    budget: Decimal
    leads: int
    deals_won: int
    revenue: Decimal  # received in the campaign's currency, less refunds
    revenue_in_other_currencies: list[MoneyReceived]  # received in any other, less refunds: never added to the return
    return_: Decimal = Field(alias="return")


class TicketIn(Strict):
    client_id: uuid.UUID
    subject: Name


class AnswerIn(Strict):
    answer: Text


class TicketOut(Out):
    id: uuid.UUID
    client_id: uuid.UUID
    subject: str
    status: str
    answer: str | None
    created_at: datetime
    closed_at: datetime | None
