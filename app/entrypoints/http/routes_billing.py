"""Invoices, payments, commissions and the audit trail."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from app.adapters.metrics import COUNTERS
from app.domain.records import AuditEntryRecord, CommissionRecord, PaymentRecord
from app.domain.roles import Permission
from app.entrypoints.http.deps import CallerDep, CurrentUser, IdempotencyKey, PlatformDep, UowDep, needs
from app.entrypoints.http.errors import error_body, status_for
from app.entrypoints.http.pagination import PageDep, paged
from app.entrypoints.http.schemas.billing import (
    CommissionOut,
    HeldPaymentOut,
    InvoiceIn,
    InvoiceOut,
    PaymentIn,
    PaymentOut,
    RefundIn,
    RefundOut,
    VoidIn,
)
from app.entrypoints.http.schemas.common import ErrorBody
from app.entrypoints.http.schemas.compliance import AuditEntryOut, AuditVerificationOut
from app.service_layer import billing, payments, refunds

router = APIRouter(tags=["billing"])


@router.post(
    "/invoices",
    status_code=status.HTTP_201_CREATED,
    response_model=InvoiceOut,
    openapi_extra=needs(Permission.WRITE_BILLING),
)
async def draft_invoice(body: InvoiceIn, caller: CallerDep) -> dict:
    """Draft an invoice for a delivery project."""
    lines = [billing.LineInput(line.description, line.quantity, line.unit_price, line.tax_rate) for line in body.lines]
    return await caller.run(
        lambda uow, principal: billing.draft_invoice(
            uow, principal, project_id=body.project_id, lines=lines, payment_terms_days=body.payment_terms_days
        )
    )


@router.get("/invoices", response_model=list[InvoiceOut], openapi_extra=needs(Permission.READ_BILLING))
async def list_invoices(caller: CallerDep, page: PageDep, request: Request, response: Response) -> list[dict]:
    """The tenant's invoices, oldest first, a page at a time (``Link`` to the next)."""
    rows = await caller.run(lambda uow, principal: billing.list_invoices(uow, principal, page))
    return paged(rows, page, request, response)


@router.get("/invoices/{invoice_id}", response_model=InvoiceOut, openapi_extra=needs(Permission.READ_BILLING))
async def get_invoice(invoice_id: uuid.UUID, caller: CallerDep) -> dict:
    """One invoice with its lines and the amount still due."""
    return await caller.run(lambda uow, principal: billing.get_invoice(uow, principal, invoice_id))


@router.post("/invoices/{invoice_id}/issue", response_model=InvoiceOut, openapi_extra=needs(Permission.WRITE_BILLING))
async def issue_invoice(invoice_id: uuid.UUID, caller: CallerDep) -> dict:
    """Issue a draft invoice to the client."""
    return await caller.run(lambda uow, principal: billing.issue_invoice(uow, principal, invoice_id))


@router.post("/invoices/{invoice_id}/void", response_model=InvoiceOut, openapi_extra=needs(Permission.WRITE_BILLING))
async def void_invoice(invoice_id: uuid.UUID, body: VoidIn, caller: CallerDep) -> dict:
    """Void an unpaid invoice, with the reason."""
    return await caller.run(lambda uow, principal: billing.void_invoice(uow, principal, invoice_id, reason=body.reason))


def _payment_answer(result: payments.PaymentResult) -> tuple[int, Any]:
    outcome = "held" if result.held is not None else "declined" if result.refusal is not None else "recorded"
    COUNTERS.add("platform_payments_total", outcome=outcome)
    if result.held is not None:
        held = result.held
        return 202, jsonable_encoder(
            HeldPaymentOut(
                status="held",
                approval_id=held["id"],
                amount=held["amount"],
                invoice_id=held["payload"]["invoice_id"],
                currency=held["currency"],
            )
        )
    if result.refusal is not None:
        return status_for(result.refusal), error_body(result.refusal.code, result.refusal.message, result.refusal.field)
    return 201, jsonable_encoder(PaymentOut.model_validate(result.payment))


@router.post(
    "/invoices/{invoice_id}/payments",
    status_code=status.HTTP_201_CREATED,
    response_model=PaymentOut,
    responses={
        402: {"model": ErrorBody, "description": "The card was declined."},
        202: {"model": HeldPaymentOut, "description": "Above the approval threshold: held, not charged."},
    },
    openapi_extra=needs(Permission.TAKE_PAYMENTS),
)
async def take_payment(
    invoice_id: uuid.UUID,
    body: PaymentIn,
    idempotency_key: IdempotencyKey,
    principal: CurrentUser,
    platform: PlatformDep,
) -> JSONResponse:
    """Charge the client's card for (part of) an invoice; once per Idempotency-Key."""
    result = await platform.payments_aio(
        lambda uow: payments.take_payment(
            uow,
            platform.payments_on_loop,
            principal,
            invoice_id=invoice_id,
            amount=body.amount,
            card_token=body.card_token,
            idempotency_key=idempotency_key,
        )
    )
    code, answer = _payment_answer(result)
    return JSONResponse(answer, status_code=code)


@router.post(
    "/payments/{payment_id}/refunds",
    status_code=status.HTTP_201_CREATED,
    response_model=RefundOut,
    openapi_extra=needs(Permission.TAKE_PAYMENTS),
)
async def refund_payment(
    payment_id: uuid.UUID,
    body: RefundIn,
    idempotency_key: IdempotencyKey,
    principal: CurrentUser,
    platform: PlatformDep,
) -> JSONResponse:
    """Give back (part of) a payment; once per Idempotency-Key. The commission on it is reversed."""
    refund = await platform.payments_aio(
        lambda uow: refunds.refund_payment(
            uow,
            platform.payments_on_loop,
            principal,
            payment_id=payment_id,
            amount=body.amount,
            idempotency_key=idempotency_key,
        )
    )
    return JSONResponse(jsonable_encoder(RefundOut.model_validate(refund)), status_code=status.HTTP_201_CREATED)


@router.get(
    "/invoices/{invoice_id}/payments", response_model=list[PaymentOut], openapi_extra=needs(Permission.READ_BILLING)
)
async def list_payments(invoice_id: uuid.UUID, caller: CallerDep) -> list[PaymentRecord]:
    """The payments received for an invoice."""
    return await caller.run(lambda uow, principal: billing.list_payments(uow, principal, invoice_id))


@router.get("/commissions", response_model=list[CommissionOut], openapi_extra=needs(Permission.READ_COMMISSIONS))
async def list_commissions(
    caller: CallerDep, page: PageDep, request: Request, response: Response, user_id: uuid.UUID | None = None
) -> list[CommissionRecord]:
    """Commissions earned, optionally for one sales rep, oldest first, a page at a time (``Link`` to the next)."""
    rows = await caller.run(
        lambda uow, principal: billing.list_commissions(uow, principal, user_id=user_id, page=page), autocommit=True
    )
    return paged(rows, page, request, response)


@router.get("/audit/verify", response_model=AuditVerificationOut, openapi_extra=needs(Permission.READ_AUDIT))
def verify_audit_trail(principal: CurrentUser, uow: UowDep) -> dict:
    """Recompute the audit trail's hash chain; says where it breaks, if it does."""
    return billing.verify_audit(uow, principal)


@router.get("/audit", response_model=list[AuditEntryOut], openapi_extra=needs(Permission.READ_AUDIT))
async def audit_trail(
    caller: CallerDep,
    after_seq: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> list[AuditEntryRecord]:
    """The tenant's audit trail, oldest first."""
    return await caller.run(
        lambda uow, principal: billing.list_audit(uow, principal, after_seq=after_seq, limit=limit), autocommit=True
    )
