"""Finance rules: how likely each open stage is to close, and how overdue money is aged."""

from __future__ import annotations

from decimal import Decimal

from app.domain.money import round_to_cent
from app.domain.sales import Stage

STAGE_PROBABILITY = {
    Stage.PROSPECTING: Decimal("0.10"),
    Stage.PROPOSAL: Decimal("0.40"),
    Stage.NEGOTIATION: Decimal("0.70"),
}
AGEING_BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus")


def weighted(amount: Decimal, stage: Stage) -> Decimal:
    """A deal's expected value: amount x its stage's probability, rounded half-up to the cent."""
    return round_to_cent(amount * STAGE_PROBABILITY[stage])


def ageing_bucket(days_overdue: int) -> str:
    """ "current" until the due date, then by days past it."""
    if days_overdue <= 0:
        return "current"
    if days_overdue <= 30:
        return "days_1_30"
    if days_overdue <= 60:
        return "days_31_60"
    if days_overdue <= 90:
        return "days_61_90"
    return "days_90_plus"
