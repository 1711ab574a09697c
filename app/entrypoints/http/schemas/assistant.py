"""The assistant's conversations, its settings, and notifications."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, get_args

from pydantic import (
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from app.entrypoints.http.schemas.common import (
    NOT_A_BOOLEAN,
    Amount,
    Currency,
    Out,
    Strict,
)


def _given_as(schema: dict[str, Any]) -> WithJsonSchema:
    """A setting that may be left out but, given, is never null: the document shows only what may be given."""
    return WithJsonSchema(schema, mode="validation")


def _no_default_shown(schema: dict[str, Any]) -> None:
    """Left out, the setting keeps its value: the document shows no default (a null it may not be given)."""
    schema.pop("default", None)


LEFT_OUT = Field(default=None, json_schema_extra=_no_default_shown)


class SettingsIn(Strict):
    """The settings to change, and only those: a field left out keeps its value. ``approval_threshold: null``
    removes the threshold with its currency: no deal or payment asks for approval from then on (those already
    waiting are still decided by a person)."""

    assistant_tool_timeout_ms: Annotated[
        int | None,
        Field(ge=1, le=60_000),
        NOT_A_BOOLEAN,
        _given_as({"type": "integer", "minimum": 1, "maximum": 60_000}),
    ] = LEFT_OUT
    assistant_runs_per_minute: Annotated[
        int | None,
        Field(ge=1, le=10_000),
        NOT_A_BOOLEAN,
        _given_as({"type": "integer", "minimum": 1, "maximum": 10_000}),
    ] = LEFT_OUT
    approval_threshold: Amount | None = Field(default=None, description="null removes the threshold.")
    approval_threshold_currency: Annotated[
        Currency | None, _given_as({"type": "string", "enum": list(get_args(Currency))})
    ] = LEFT_OUT  # given without it, a threshold keeps its currency (or EUR); a threshold removed takes its currency along

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
