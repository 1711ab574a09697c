from decimal import Decimal

import pytest

from app.domain.approvals import ApprovalStatus, ensure_can_decide, needs_approval
from app.domain.errors import Forbidden, InvalidTransition


@pytest.mark.parametrize(
    "amount, threshold, needed",
    [("10000.00", None, False), ("10000.00", "10000.00", False), ("10000.01", "10000.00", True)],
)
def test_only_amounts_above_the_threshold_need_approval(amount, threshold, needed):
    assert needs_approval(Decimal(amount), "EUR", Decimal(threshold) if threshold else None, "EUR") is needed


@pytest.mark.parametrize(("amount", "needed"), [("1.00", True), ("20000.00", True)])
def test_an_amount_in_another_currency_than_the_thresholds_is_decided_by_a_person(amount, needed):
    assert needs_approval(Decimal(amount), "USD", Decimal("10000.00"), "EUR") is needed


def test_with_no_threshold_no_currency_needs_approval():
    assert needs_approval(Decimal("1000000.00"), "USD", None, "EUR") is False


def test_the_requester_never_decides_their_own_request():
    with pytest.raises(Forbidden):
        ensure_can_decide(ApprovalStatus.PENDING, "u1", "u1")


@pytest.mark.parametrize("status", [ApprovalStatus.APPROVED, ApprovalStatus.REJECTED])
def test_a_decision_is_final(status):
    with pytest.raises(InvalidTransition):
        ensure_can_decide(status, "u1", "u2")
