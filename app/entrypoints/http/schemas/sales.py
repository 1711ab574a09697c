"""Leads, deals, clients and delivery projects."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import Field

from app.domain.sales import Stage
from app.entrypoints.http.schemas.common import (
    Amount,
    Currency,
    EmailAddress,
    Name,
    Out,
    Strict,
    Text,
)


class LeadIn(Strict):
    company: Name
    contact_name: Name
    contact_email: EmailAddress | None = None
    estimated_value: Amount
    currency: Currency = "EUR"
    campaign_id: uuid.UUID | None = None


class DisqualifyIn(Strict):
    reason: Text


class ConvertIn(Strict):
    title: Name | None = None
    amount: Amount | None = None


class LeadOut(Out):
    id: uuid.UUID
    company: str
    contact_name: str
    contact_email: str | None
    estimated_value: Decimal
    currency: str
    status: str
    owner_id: uuid.UUID
    campaign_id: uuid.UUID | None = None
    disqualify_reason: str | None
    opportunity_id: uuid.UUID | None = None
    created_at: datetime


class StageIn(Strict):
    stage: Stage


class LoseIn(Strict):
    reason: Text


class OpportunityOut(Out):
    id: uuid.UUID
    lead_id: uuid.UUID
    client_id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    amount: Decimal
    currency: str
    stage: Stage
    lost_reason: str | None
    closed_at: datetime | None
    project_id: uuid.UUID | None = None


class ClientOut(Out):
    id: uuid.UUID
    name: str
    created_at: datetime


class TaskOut(Out):
    id: uuid.UUID
    title: str
    status: str
    assignee_id: uuid.UUID | None
    created_by: uuid.UUID | None = Field(None, description="Who asked for the task.")
    written_via: str = Field("platform", description="platform, or assistant when the assistant wrote it.")


class ProjectOut(Out):
    id: uuid.UUID
    opportunity_id: uuid.UUID
    client_id: uuid.UUID
    name: str
    status: str
    tasks: list[TaskOut] = []  # noqa: RUF012 - pydantic copies a default per instance
