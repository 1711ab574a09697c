"""High-value transactions wait for a compliance officer who is not the requester; a decision is final."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from app.domain.errors import Forbidden, InvalidTransition


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def needs_approval(amount: Decimal, threshold: Decimal | None) -> bool:
    """Above the tenant's threshold (none set: nothing needs approval)."""
    return threshold is not None and amount > threshold


def ensure_can_decide(status: ApprovalStatus, requested_by: object, decided_by: object) -> None:
    if decided_by == requested_by:
        raise Forbidden("nobody may approve or reject their own request")
    if status is not ApprovalStatus.PENDING:
        raise InvalidTransition(f"this request was already {status}; a decision is final")
