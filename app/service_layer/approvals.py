"""Approval of high-value transactions: requested by the platform, decided by someone else."""

from __future__ import annotations

import uuid
from typing import Any

from app.adapters.payment_gateway import CardProcessor
from app.adapters.unit_of_work import UnitOfWorkFactory
from app.domain.approvals import ApprovalStatus, ensure_can_decide
from app.domain.errors import NotFound, RuleViolation
from app.domain.pages import Page
from app.domain.records import ApprovalRecord
from app.domain.roles import Permission, Role
from app.service_layer import payments
from app.service_layer.principal import Principal


def list_approvals(
    uow: UnitOfWorkFactory, principal: Principal, *, status: str | None, page: Page
) -> list[ApprovalRecord]:
    principal.require(Permission.READ_AUDIT)
    with uow(company=principal.company_id) as u:
        return u.approvals.listed(status=status, page=page)


def decide(
    uow: UnitOfWorkFactory,
    gateway: CardProcessor,
    principal: Principal,
    approval_id: uuid.UUID,
    *,
    approve: bool,
    reason: str | None,
) -> dict[str, Any]:
    """Approves (a held payment is then charged) or rejects, with the reason; either is final and audited."""
    principal.require(Permission.DECIDE_APPROVALS)
    if not approve and not reason:
        raise RuleViolation("reason_required", "a rejection must say why", field="reason")
    with uow(company=principal.company_id) as u:
        approval = u.approvals.held(approval_id)
        if approval is None:
            raise NotFound("approval not found")
        ensure_can_decide(ApprovalStatus(approval["status"]), approval["requested_by"], principal.user_id)
        status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
        decided = u.approvals.decide(approval_id, status=status.value, decided_by=principal.user_id, reason=reason)
        u.audit.append(
            action=f"approval_{'granted' if approve else 'rejected'}",
            actor_id=principal.user_id,
            entity_type="approval",
            entity_id=approval_id,
            data={"reason": reason} if reason else {},
        )
        outcome = None
        if approve and approval["subject_type"] == "payment":
            requester = Principal(user_id=approval["requested_by"], company_id=principal.company_id, role=Role.FINANCE)
            payload = approval["payload"]
            outcome = payments.charge_and_record(
                u,
                gateway,
                requester,
                invoice_id=uuid.UUID(payload["invoice_id"]),
                amount=approval["amount"],
                card_token=payload["card_token"],
                key=f"approval:{approval_id}",
                may_hold=False,
            )
        return {
            **decided,
            "payment_id": outcome.payment["id"] if outcome and outcome.payment else None,
            "payment_declined": None if outcome is None else bool(outcome.refusal),  # None: no payment was tried
        }
