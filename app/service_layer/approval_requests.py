"""What sales, billing and payments ask of approvals: the threshold, a request, and whether a deal may be invoiced.

Approvals' own decisions (``approvals.decide``) charge a held payment, so they
need payments; payments, billing and sales need only this module, which needs
none of them.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from app.adapters.unit_of_work import UnitOfWork
from app.domain.approvals import THRESHOLD_CURRENCY, ApprovalStatus, needs_approval
from app.domain.errors import Conflict
from app.domain.records import ApprovalRecord, DealRecord
from app.service_layer.principal import Principal


def held_for_approval(u: UnitOfWork, amount: Decimal, currency: str) -> bool:
    """Whether ``amount`` in ``currency`` is past the company's approval threshold (see ``needs_approval``)."""
    settings = u.settings.of()
    threshold_currency = settings["approval_threshold_currency"] or THRESHOLD_CURRENCY
    return needs_approval(amount, currency, settings["approval_threshold"], threshold_currency)


def request(
    u: UnitOfWork,
    principal: Principal,
    *,
    subject_type: str,
    subject_id: uuid.UUID,
    amount: Decimal,
    currency: str,
    payload: dict[str, Any] | None = None,
) -> ApprovalRecord:
    approval = u.approvals.add(
        subject_type=subject_type,
        subject_id=subject_id,
        amount=amount,
        currency=currency,
        requested_by=principal.user_id,
        payload=payload,
    )
    u.audit.append(
        action="approval_requested",
        actor_id=principal.user_id,
        entity_type="approval",
        entity_id=approval["id"],
        data={"subject": subject_type, "amount": f"{amount:.2f}", "currency": currency},
    )
    return approval


def request_if_high_value(u: UnitOfWork, principal: Principal, deal: DealRecord) -> None:
    """A won deal above the threshold must be approved before it is invoiced."""
    if held_for_approval(u, deal["amount"], deal["currency"]):
        request(
            u, principal, subject_type="deal", subject_id=deal["id"], amount=deal["amount"], currency=deal["currency"]
        )


def ensure_deal_approved(u: UnitOfWork, deal_id: uuid.UUID) -> None:
    approval = u.approvals.latest_for(deal_id)
    if approval is not None and approval["status"] != ApprovalStatus.APPROVED:
        raise Conflict(
            "approval_required",
            f"the deal is {approval['status']} approval; it cannot be invoiced yet",
            field="project_id",
        )
