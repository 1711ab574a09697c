"""High-value transactions wait for a compliance officer who is not the requester; a decision is final."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from app.domain.errors import Forbidden, InvalidTransition


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # what it asked for no longer stands (a held payment's invoice voided): nothing to decide


def needs_approval(amount: Decimal, currency: str, threshold: Decimal | None, threshold_currency: str) -> bool:
    """Above the company's threshold (none set: nothing needs approval). An amount in another currency than the
    threshold's cannot be compared with it (the platform keeps no exchange rates), so a person decides it."""
    return threshold is not None and (currency != threshold_currency or amount > threshold)


THRESHOLD_CURRENCY = "EUR"  # a threshold's currency when none was ever given


def ensure_can_decide(status: ApprovalStatus, requested_by: object, decided_by: object) -> None:
    if decided_by == requested_by:
        raise Forbidden("nobody may approve or reject their own request")
    if status is not ApprovalStatus.PENDING:
        raise InvalidTransition(f"this request was already {status}; a decision is final")
