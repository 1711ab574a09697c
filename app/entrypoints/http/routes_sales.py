"""Leads, opportunities, clients and projects."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request, Response, status

from app.domain.records import ClientRecord, DealRecord, LeadRecord
from app.domain.roles import Permission
from app.entrypoints.http.deps import CallerDep, needs
from app.entrypoints.http.pagination import PageDep, paged
from app.entrypoints.http.schemas.sales import (
    ClientOut,
    ConvertIn,
    DisqualifyIn,
    LeadIn,
    LeadOut,
    LoseIn,
    OpportunityOut,
    ProjectOut,
    StageIn,
)
from app.service_layer import sales

router = APIRouter(tags=["sales"])


@router.post(
    "/leads", status_code=status.HTTP_201_CREATED, response_model=LeadOut, openapi_extra=needs(Permission.WRITE_SALES)
)
async def capture_lead(body: LeadIn, caller: CallerDep) -> LeadRecord:
    """Capture a new lead."""
    return await caller.run(
        lambda uow, principal: sales.capture_lead(
            uow,
            principal,
            company=body.company,
            contact_name=body.contact_name,
            contact_email=body.contact_email,
            estimated_value=body.estimated_value,
            currency=body.currency,
            campaign_id=body.campaign_id,
        )
    )


@router.get("/leads", response_model=list[LeadOut], openapi_extra=needs(Permission.READ_SALES))
async def list_leads(caller: CallerDep, page: PageDep, request: Request, response: Response) -> list[Mapping[str, Any]]:
    """The tenant's leads, oldest first, a page at a time (``Link`` to the next)."""
    rows = await caller.run(lambda uow, principal: sales.list_of(uow, principal, "leads", page), autocommit=True)
    return paged(rows, page, request, response)


@router.get("/leads/{lead_id}", response_model=LeadOut, openapi_extra=needs(Permission.READ_SALES))
async def get_lead(lead_id: uuid.UUID, caller: CallerDep) -> dict:
    """One lead."""
    return await caller.run(lambda uow, principal: sales.get_lead(uow, principal, lead_id))


@router.post("/leads/{lead_id}/qualify", response_model=LeadOut, openapi_extra=needs(Permission.WRITE_SALES))
async def qualify_lead(lead_id: uuid.UUID, caller: CallerDep) -> dict:
    """Mark a new lead as qualified."""
    return await caller.run(lambda uow, principal: sales.qualify_lead(uow, principal, lead_id))


@router.post("/leads/{lead_id}/disqualify", response_model=LeadOut, openapi_extra=needs(Permission.WRITE_SALES))
async def disqualify_lead(lead_id: uuid.UUID, body: DisqualifyIn, caller: CallerDep) -> dict:
    """Disqualify a lead, with the reason."""
    return await caller.run(lambda uow, principal: sales.disqualify_lead(uow, principal, lead_id, reason=body.reason))


@router.post(
    "/leads/{lead_id}/convert",
    status_code=status.HTTP_201_CREATED,
    response_model=OpportunityOut,
    openapi_extra=needs(Permission.WRITE_SALES),
)
async def convert_lead(lead_id: uuid.UUID, body: ConvertIn, caller: CallerDep) -> DealRecord:
    """Turn a qualified lead into an open opportunity and its client."""
    return await caller.run(
        lambda uow, principal: sales.convert_lead(uow, principal, lead_id, title=body.title, amount=body.amount)
    )


@router.get("/opportunities", response_model=list[OpportunityOut], openapi_extra=needs(Permission.READ_SALES))
async def list_opportunities(
    caller: CallerDep, page: PageDep, request: Request, response: Response
) -> list[Mapping[str, Any]]:
    """The tenant's opportunities, oldest first, a page at a time (``Link`` to the next)."""
    rows = await caller.run(
        lambda uow, principal: sales.list_of(uow, principal, "opportunities", page), autocommit=True
    )
    return paged(rows, page, request, response)


@router.get("/opportunities/{deal_id}", response_model=OpportunityOut, openapi_extra=needs(Permission.READ_SALES))
async def get_opportunity(deal_id: uuid.UUID, caller: CallerDep) -> dict:
    """One opportunity, with its project once won."""
    return await caller.run(lambda uow, principal: sales.get_deal(uow, principal, deal_id))


@router.post(
    "/opportunities/{deal_id}/stage", response_model=OpportunityOut, openapi_extra=needs(Permission.WRITE_SALES)
)
async def move_opportunity(deal_id: uuid.UUID, body: StageIn, caller: CallerDep) -> dict:
    """Move an open opportunity to another open stage."""
    return await caller.run(lambda uow, principal: sales.move_deal(uow, principal, deal_id, stage=body.stage))


@router.post("/opportunities/{deal_id}/win", response_model=OpportunityOut, openapi_extra=needs(Permission.WRITE_SALES))
async def win_opportunity(deal_id: uuid.UUID, caller: CallerDep) -> dict:
    """Close an opportunity as won; opens its delivery project."""
    return await caller.run(lambda uow, principal: sales.win_deal(uow, principal, deal_id))


@router.post(
    "/opportunities/{deal_id}/lose", response_model=OpportunityOut, openapi_extra=needs(Permission.WRITE_SALES)
)
async def lose_opportunity(deal_id: uuid.UUID, body: LoseIn, caller: CallerDep) -> dict:
    """Close an opportunity as lost, with the reason."""
    return await caller.run(lambda uow, principal: sales.lose_deal(uow, principal, deal_id, reason=body.reason))


@router.get("/clients", response_model=list[ClientOut], openapi_extra=needs(Permission.READ_SALES))
async def list_clients(
    caller: CallerDep, page: PageDep, request: Request, response: Response
) -> list[Mapping[str, Any]]:
    """The tenant's clients, oldest first, a page at a time (``Link`` to the next)."""
    rows = await caller.run(lambda uow, principal: sales.list_of(uow, principal, "clients", page), autocommit=True)
    return paged(rows, page, request, response)


@router.get("/clients/{client_id}", response_model=ClientOut, openapi_extra=needs(Permission.READ_SALES))
async def get_client(client_id: uuid.UUID, caller: CallerDep) -> ClientRecord:
    """One client."""
    return await caller.run(lambda uow, principal: sales.get_client(uow, principal, client_id), autocommit=True)


@router.get("/projects", response_model=list[ProjectOut], openapi_extra=needs(Permission.READ_PROJECTS))
async def list_projects(
    caller: CallerDep, page: PageDep, request: Request, response: Response
) -> list[Mapping[str, Any]]:
    """The tenant's delivery projects, oldest first, a page at a time (``Link`` to the next)."""
    rows = await caller.run(lambda uow, principal: sales.list_of(uow, principal, "projects", page), autocommit=True)
    return paged(rows, page, request, response)


@router.get("/projects/{project_id}", response_model=ProjectOut, openapi_extra=needs(Permission.READ_PROJECTS))
async def get_project(project_id: uuid.UUID, caller: CallerDep) -> dict:
    """One delivery project with its tasks."""
    return await caller.run(lambda uow, principal: sales.get_project(uow, principal, project_id))
