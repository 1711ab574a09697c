"""The assistant's conversations, its settings, and notifications."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import (
    Field,
)

from app.entrypoints.http.schemas.common import (
    NOT_A_BOOLEAN,
    Amount,
    Currency,
    Out,
    Strict,
)


class SettingsIn(Strict):
    assistant_tool_timeout_ms: Annotated[int, Field(ge=1, le=60_000), NOT_A_BOOLEAN] | None = None
    assistant_runs_per_minute: Annotated[int, Field(ge=1, le=10_000), NOT_A_BOOLEAN] | None = None
    approval_threshold: Amount | None = None
    approval_threshold_currency: Currency | None = None  # given without it, a threshold keeps its currency (or EUR)


class SettingsOut(Out):
    assistant_tool_timeout_ms: int
    assistant_runs_per_minute: int
    approval_threshold: Decimal | None
    approval_threshold_currency: str | None


class MessageOut(Out):
    role: str
    content: str
    run_id: str | None
    created_at: datetime


class ThreadOut(Out):
    id: uuid.UUID
    title: str
    archived: bool
    created_at: datetime


class ThreadWithMessagesOut(ThreadOut):
    messages: list[MessageOut]


class NotificationOut(Out):
    id: uuid.UUID
    kind: str
    text: str
    subject_type: str
    subject_id: str
    read: bool
    created_at: datetime
