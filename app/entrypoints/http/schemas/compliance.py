"""Approvals and the audit trail."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from app.entrypoints.http.schemas.common import (
    Out,
    Strict,
    Text,
)


class AuditEntryOut(Out):
    seq: int
    action: str
    actor_id: uuid.UUID | None
    entity_type: str
    entity_id: str
    occurred_at: datetime
    data: dict
    prev_hash: str
    hash: str


class DecisionIn(Strict):
    reason: Text | None = None


class RejectionIn(Strict):
    reason: Text


class ApprovalOut(Out):
    id: uuid.UUID
    subject_type: str
    subject_id: uuid.UUID
    amount: Decimal
    currency: str
    requested_by: uuid.UUID
    status: str
    decided_by: uuid.UUID | None
    decided_at: datetime | None
    reason: str | None
    created_at: datetime
    payment_id: uuid.UUID | None = None
    payment_declined: bool | None = None


class AuditVerificationOut(Out):
    intact: bool
    entries: int
    broken_at_seq: int | None
