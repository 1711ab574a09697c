"""The assistant's conversations, its settings, and notifications."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    Field,
    ValidationInfo,
    field_validator,
)

from app.entrypoints.http.schemas.common import (
    NOT_A_BOOLEAN,
    Amount,
    Currency,
    Out,
    Strict,
)


def _given_only(schema: dict[str, Any]) -> None:
    """A setting that may be left out (keeping its value) but, given, is never null: the document shows only what
    may be given, and no default."""
    schema.update(next(branch for branch in schema.pop("anyOf") if branch.get("type") != "null"))
    schema.pop("default", None)


LEFT_OUT = Field(default=None, json_schema_extra=_given_only)


class SettingsIn(Strict):
    """The settings to change, and only those: a field left out keeps its value. ``approval_threshold: null``
    removes the threshold with its currency: no deal or payment asks for approval from then on (those already
    waiting are still decided by a person)."""

    assistant_tool_timeout_ms: Annotated[int | None, Field(ge=1, le=60_000), NOT_A_BOOLEAN] = LEFT_OUT
    assistant_runs_per_minute: Annotated[int | None, Field(ge=1, le=10_000), NOT_A_BOOLEAN] = LEFT_OUT
    approval_threshold: Amount | None = Field(default=None, description="null removes the threshold.")
    # given without it, a threshold keeps its currency (or EUR); a threshold removed takes its currency along
    approval_threshold_currency: Currency | None = LEFT_OUT

    @field_validator("assistant_tool_timeout_ms", "assistant_runs_per_minute", "approval_threshold_currency")
    @classmethod
    def _never_null(cls, value: Any, info: ValidationInfo) -> Any:
        """A limit of the assistant is changed, never removed; a currency goes only with its threshold (a null
        given: one left out is not checked)."""
        if value is None:
            removal = "is removed with the threshold (approval_threshold: null)"
            raise ValueError(removal if info.field_name == "approval_threshold_currency" else "cannot be removed")
        return value


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
