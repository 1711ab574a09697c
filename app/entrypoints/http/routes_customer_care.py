"""Campaigns that bring leads, their return, and support tickets."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.domain.records import CampaignRecord, TicketRecord
from app.domain.roles import Permission
from app.entrypoints.http.deps import CallerDep, needs
from app.entrypoints.http.schemas.customer_care import (
    AnswerIn,
    CampaignIn,
    CampaignOut,
    CampaignReturnOut,
    TicketIn,
    TicketOut,
)
from app.service_layer import customer_care as care

router = APIRouter(tags=["customer care"])


@router.post(
    "/campaigns",
    status_code=status.HTTP_201_CREATED,
    response_model=CampaignOut,
    openapi_extra=needs(Permission.WRITE_SALES),
)
async def start_campaign(body: CampaignIn, caller: CallerDep) -> CampaignRecord:
    """Start a marketing campaign with its budget; leads name it to be attributed to it."""
    return await caller.run(
        lambda uow, principal: care.start_campaign(
            uow, principal, name=body.name, budget=body.budget, currency=body.currency
        )
    )


@router.get("/campaigns", response_model=list[CampaignOut], openapi_extra=needs(Permission.READ_SALES))
async def list_campaigns(caller: CallerDep) -> list[CampaignRecord]:
    """The tenant's campaigns."""
    return await caller.run(lambda uow, principal: care.list_campaigns(uow, principal), autocommit=True)


@router.get(
    "/reports/campaigns",
    response_model=list[CampaignReturnOut],
    openapi_extra=needs(Permission.READ_REPORTS),
)
async def campaign_returns(caller: CallerDep) -> list[dict]:
    """Per campaign: leads, deals won, money received in its currency (in any other, apart), and the return on its
    budget."""
    return await caller.run(lambda uow, principal: care.campaign_returns(uow, principal), autocommit=True)


@router.post(
    "/tickets",
    status_code=status.HTTP_201_CREATED,
    response_model=TicketOut,
    openapi_extra=needs(Permission.WRITE_SALES),
)
async def open_ticket(body: TicketIn, caller: CallerDep) -> TicketRecord:
    """Open a support ticket for a client whose delivery has started."""
    return await caller.run(
        lambda uow, principal: care.open_ticket(uow, principal, client_id=body.client_id, subject=body.subject)
    )


@router.get("/tickets/{ticket_id}", response_model=TicketOut, openapi_extra=needs(Permission.READ_SALES))
async def get_ticket(ticket_id: uuid.UUID, caller: CallerDep) -> TicketRecord:
    """One support ticket."""
    return await caller.run(lambda uow, principal: care.get_ticket(uow, principal, ticket_id), autocommit=True)


@router.post("/tickets/{ticket_id}/answer", response_model=TicketOut, openapi_extra=needs(Permission.WRITE_SALES))
async def answer_ticket(ticket_id: uuid.UUID, body: AnswerIn, caller: CallerDep) -> dict:
    """Answer a ticket that is not closed."""
    return await caller.run(lambda uow, principal: care.answer_ticket(uow, principal, ticket_id, answer=body.answer))


@router.post("/tickets/{ticket_id}/close", response_model=TicketOut, openapi_extra=needs(Permission.WRITE_SALES))
async def close_ticket(ticket_id: uuid.UUID, caller: CallerDep) -> dict:
    """Close an answered ticket."""
    return await caller.run(lambda uow, principal: care.close_ticket(uow, principal, ticket_id))
