"""Approvals of high-value transactions."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Request, Response

from app.bootstrap import Platform
from app.domain.records import ApprovalRecord
from app.domain.roles import Permission
from app.entrypoints.http.deps import CallerDep, CurrentUser, PlatformDep, needs
from app.entrypoints.http.pagination import PageDep, paged
from app.entrypoints.http.schemas.compliance import ApprovalOut, DecisionIn, RejectionIn
from app.service_layer import approvals
from app.service_layer.principal import Principal

router = APIRouter(tags=["compliance"])


@router.get("/approvals", response_model=list[ApprovalOut], openapi_extra=needs(Permission.READ_AUDIT))
async def list_approvals(
    caller: CallerDep,
    page: PageDep,
    request: Request,
    response: Response,
    status: Literal["pending", "approved", "rejected", "withdrawn"] | None = None,
) -> list[ApprovalRecord]:
    """Requests for approval, optionally by status, oldest first, a page at a time (``Link`` to the next)."""
    rows = await caller.run(
        lambda uow, principal: approvals.list_approvals(uow, principal, status=status, page=page), autocommit=True
    )
    return paged(rows, page, request, response)


@router.post(
    "/approvals/{approval_id}/approve", response_model=ApprovalOut, openapi_extra=needs(Permission.DECIDE_APPROVALS)
)
async def approve(approval_id: uuid.UUID, body: DecisionIn, principal: CurrentUser, platform: PlatformDep) -> dict:
    """Approve someone else's request; a held payment is charged now."""
    return await _decide(platform, principal, approval_id, approve=True, reason=body.reason)


@router.post(
    "/approvals/{approval_id}/reject", response_model=ApprovalOut, openapi_extra=needs(Permission.DECIDE_APPROVALS)
)
async def reject(approval_id: uuid.UUID, body: RejectionIn, principal: CurrentUser, platform: PlatformDep) -> dict:
    """Reject someone else's request, saying why; final."""
    return await _decide(platform, principal, approval_id, approve=False, reason=body.reason)


async def _decide(
    platform: Platform, principal: Principal, approval_id: uuid.UUID, *, approve: bool, reason: str | None
) -> dict:
    return await platform.payments_aio(
        lambda uow: approvals.decide(
            uow, platform.payments_on_loop, principal, approval_id, approve=approve, reason=reason
        )
    )
