"""A decision says whether the payment it let through was declined only when it tried one: a rejection, or
the approval of anything but a held payment, says nothing of a payment (null, as every read of it)."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from app.domain.roles import Role
from app.service_layer import approvals
from app.service_layer.principal import Principal

COMPANY, SAM, OLIVIA = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def _decided(subject_type: str, *, approve: bool) -> dict[str, Any]:
    approval = {
        "id": uuid.uuid4(),
        "subject_type": subject_type,
        "subject_id": uuid.uuid4(),
        "amount": Decimal("12000.00"),
        "currency": "EUR",
        "requested_by": SAM,
        "status": "pending",
        "decided_by": None,
        "reason": None,
        "payload": {},
    }
    work = SimpleNamespace(
        approvals=SimpleNamespace(
            held=lambda *_: dict(approval), decide=lambda _, **decision: {**approval, **decision}
        ),
        audit=SimpleNamespace(append=lambda **_: None),
    )

    @contextmanager
    def uow(**_: Any):
        yield work

    olivia = Principal(user_id=OLIVIA, company_id=COMPANY, role=Role.COMPLIANCE)
    return approvals.decide(
        uow, gateway=None, principal=olivia, approval_id=approval["id"], approve=approve, reason="checked"
    )


@pytest.mark.parametrize("approve", [True, False])
def test_a_decision_that_tried_no_payment_says_nothing_of_one(approve):
    decided = _decided("opportunity", approve=approve)
    assert (decided["payment_id"], decided["payment_declined"]) == (None, None)


def test_rejecting_a_held_payment_tries_none_and_says_nothing_of_one():
    decided = _decided("payment", approve=False)
    assert (decided["status"], decided["payment_id"], decided["payment_declined"]) == ("rejected", None, None)
