"""The assistant's conversations, its settings, and notifications."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from app.entrypoints.http.schemas.common import (
    NOT_A_BOOLEAN,
    Amount,
    Currency,
    Out,
    Strict,
)


class SettingsIn(Strict):
    """The settings to change, and only those: a field left out keeps its value. ``approval_threshold: null``
    removes the threshold (with its currency): nothing waits for approval any more."""

    assistant_tool_timeout_ms: Annotated[int, Field(ge=1, le=60_000), NOT_A_BOOLEAN] | None = None
    assistant_runs_per_minute: Annotated[int, Field(ge=1, le=10_000), NOT_A_BOOLEAN] | None = None
    approval_threshold: Amount | None = Field(default=None, description="null removes the threshold.")
    approval_threshold_currency: Currency | None = None  # given without it, a threshold keeps its currency (or EUR)

    @field_validator("assistant_tool_timeout_ms", "assistant_runs_per_minute")
    @classmethod
    def _never_removed(cls, limit: int | None) -> int:
        """A limit of the assistant is changed, never removed (a null given; one left out is not checked)."""
        if limit is None:
            raise ValueError("cannot be removed: give a whole number")
        return limit

    @field_validator("approval_threshold_currency")
    @classmethod
    def _removed_with_its_threshold(cls, currency: str | None) -> str:
        if currency is None:
            raise ValueError("is removed with the threshold (approval_threshold: null)")
        return currency

    @model_validator(mode="after")
    def _no_currency_without_a_threshold(self) -> SettingsIn:
        removed = "approval_threshold" in self.model_fields_set and self.approval_threshold is None
        if removed and self.approval_threshold_currency is not None:
            raise ValueError("approval_threshold_currency names a threshold's currency, and the threshold is removed")
        return self


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
