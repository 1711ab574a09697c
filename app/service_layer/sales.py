"""Leads, deals and the delivery project a won deal opens."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.adapters.unit_of_work import UnitOfWork, UnitOfWorkFactory
from app.domain import sales as rules
from app.domain.clock import utc_now
from app.domain.errors import NotFound
from app.domain.pages import Page
from app.domain.records import ClientRecord, DealRecord, Kind, LeadRecord
from app.domain.roles import Permission
from app.service_layer import approval_requests
from app.service_layer.principal import Principal


def _lead(u: UnitOfWork, lead_id: uuid.UUID) -> LeadRecord:
    lead = u.sales.get(Kind.LEADS, lead_id, lock=True)
    if lead is None:
        raise NotFound("lead not found")
    return lead


def _deal(u: UnitOfWork, deal_id: uuid.UUID) -> DealRecord:
    deal = u.sales.get(Kind.DEALS, deal_id, lock=True)
    if deal is None:
        raise NotFound("opportunity not found")
    return deal


def capture_lead(
    uow: UnitOfWorkFactory,
    principal: Principal,
    *,
    company: str,
    contact_name: str,
    contact_email: str | None,
    estimated_value: Decimal,
    currency: str,
    campaign_id: uuid.UUID | None = None,
) -> LeadRecord:
    principal.require(Permission.WRITE_SALES)
    with uow(company=principal.company_id) as u:
        if campaign_id is not None and u.sales.get(Kind.CAMPAIGNS, campaign_id) is None:
            raise NotFound("campaign not found", field="campaign_id")
        lead = u.sales.add(
            Kind.LEADS,
            company=company,
            contact_name=contact_name,
            campaign_id=campaign_id,
            contact_email=contact_email,
            estimated_value=estimated_value,
            currency=currency,
            status=rules.LeadStatus.NEW.value,
            owner_id=principal.user_id,
        )
        u.audit.append(
            action="lead_captured",
            actor_id=principal.user_id,
            entity_type="lead",
            entity_id=lead["id"],
            data={
                "company": company,
                "amount": f"{estimated_value:.2f}",
                "currency": currency,
                "campaign": str(campaign_id) if campaign_id else None,
            },
        )
        return lead


def qualify_lead(uow: UnitOfWorkFactory, principal: Principal, lead_id: uuid.UUID) -> dict[str, Any]:
    principal.require(Permission.WRITE_SALES)
    with uow(company=principal.company_id) as u:
        lead = _lead(u, lead_id)
        rules.ensure_can_qualify(rules.LeadStatus(lead["status"]))
        u.sales.change(Kind.LEADS, lead_id, status=rules.LeadStatus.QUALIFIED.value)
        u.audit.append(
            action="lead_qualified",
            actor_id=principal.user_id,
            entity_type="lead",
            entity_id=lead_id,
        )
        return {**lead, "status": rules.LeadStatus.QUALIFIED.value}


def disqualify_lead(uow: UnitOfWorkFactory, principal: Principal, lead_id: uuid.UUID, *, reason: str) -> dict[str, Any]:
    principal.require(Permission.WRITE_SALES)
    with uow(company=principal.company_id) as u:
        lead = _lead(u, lead_id)
        rules.ensure_can_disqualify(rules.LeadStatus(lead["status"]))
        u.sales.change(
            Kind.LEADS,
            lead_id,
            status=rules.LeadStatus.DISQUALIFIED.value,
            disqualify_reason=reason,
        )
        u.audit.append(
            action="lead_disqualified",
            actor_id=principal.user_id,
            entity_type="lead",
            entity_id=lead_id,
            data={"reason": reason},
        )
        return {**lead, "status": rules.LeadStatus.DISQUALIFIED.value, "disqualify_reason": reason}


def convert_lead(
    uow: UnitOfWorkFactory, principal: Principal, lead_id: uuid.UUID, *, title: str | None, amount: Decimal | None
) -> DealRecord:
    """Turns a qualified lead into an open deal with its client. Returns the deal."""
    principal.require(Permission.WRITE_SALES)
    with uow(company=principal.company_id) as u:
        lead = _lead(u, lead_id)
        rules.ensure_can_convert(rules.LeadStatus(lead["status"]))
        client = u.sales.add(Kind.CLIENTS, name=lead["company"], contact_email=lead["contact_email"])
        deal = u.sales.add(
            Kind.DEALS,
            lead_id=lead_id,
            client_id=client["id"],
            owner_id=lead["owner_id"],
            title=title or rules.deal_title_for(lead["company"]),
            amount=amount if amount is not None else lead["estimated_value"],
            currency=lead["currency"],
            stage=rules.Stage.PROSPECTING.value,
        )
        u.sales.change(Kind.LEADS, lead_id, status=rules.LeadStatus.CONVERTED.value)
        u.audit.append(
            action="lead_converted",
            actor_id=principal.user_id,
            entity_type="opportunity",
            entity_id=deal["id"],
            data={"lead_id": str(lead_id)},
        )
        return deal


def move_deal(
    uow: UnitOfWorkFactory, principal: Principal, deal_id: uuid.UUID, *, stage: rules.Stage
) -> dict[str, Any]:
    principal.require(Permission.WRITE_SALES)
    with uow(company=principal.company_id) as u:
        deal = _deal(u, deal_id)
        rules.ensure_can_move_to(rules.Stage(deal["stage"]), stage)
        u.sales.change(Kind.DEALS, deal_id, stage=stage.value)
        u.audit.append(
            action="deal_moved",
            actor_id=principal.user_id,
            entity_type="opportunity",
            entity_id=deal_id,
            data={"stage": stage.value},
        )
        return {**deal, "stage": stage.value}


def win_deal(uow: UnitOfWorkFactory, principal: Principal, deal_id: uuid.UUID) -> dict[str, Any]:
    """Closes the deal as won and opens its delivery project with the kick-off tasks."""
    principal.require(Permission.WRITE_SALES)
    with uow(company=principal.company_id) as u:
        deal = _deal(u, deal_id)
        rules.ensure_open(rules.Stage(deal["stage"]))
        now = utc_now()
        u.sales.change(Kind.DEALS, deal_id, stage=rules.Stage.WON.value, closed_at=now)
        u.audit.append(
            action="deal_won",
            actor_id=principal.user_id,
            entity_type="opportunity",
            entity_id=deal_id,
            data={"amount": f"{deal['amount']:.2f}", "currency": deal["currency"], "campaign": _campaign_of(u, deal)},
        )
        project = u.sales.add(
            Kind.PROJECTS,
            opportunity_id=deal_id,
            client_id=deal["client_id"],
            name=deal["title"],
            status="open",
        )
        for title in rules.KICK_OFF_TASKS:
            u.sales.add(
                Kind.TASKS,
                project_id=project["id"],
                title=title,
                status="open",
                assignee_id=deal["owner_id"],
                created_by=principal.user_id,
                written_via="platform",
            )
        u.notify(
            deal["owner_id"],
            kind="tasks_assigned",
            subject_type="project",
            subject_id=project["id"],
            text=f"{len(rules.KICK_OFF_TASKS)} kick-off tasks for {deal['title']} are assigned to you",
        )
        u.audit.append(
            action="project_opened",
            actor_id=principal.user_id,
            entity_type="project",
            entity_id=project["id"],
            data={"opportunity_id": str(deal_id)},
        )
        approval_requests.request_if_high_value(u, principal, deal)
        return {**deal, "stage": rules.Stage.WON.value, "closed_at": now, "project_id": project["id"]}


def lose_deal(uow: UnitOfWorkFactory, principal: Principal, deal_id: uuid.UUID, *, reason: str) -> dict[str, Any]:
    principal.require(Permission.WRITE_SALES)
    with uow(company=principal.company_id) as u:
        deal = _deal(u, deal_id)
        rules.ensure_open(rules.Stage(deal["stage"]))
        now = utc_now()
        u.sales.change(
            Kind.DEALS,
            deal_id,
            stage=rules.Stage.LOST.value,
            closed_at=now,
            lost_reason=reason,
        )
        u.audit.append(
            action="deal_lost",
            actor_id=principal.user_id,
            entity_type="opportunity",
            entity_id=deal_id,
            data={"reason": reason},
        )
        return {**deal, "stage": rules.Stage.LOST.value, "closed_at": now, "lost_reason": reason}


def get_lead(uow: UnitOfWorkFactory, principal: Principal, lead_id: uuid.UUID) -> dict[str, Any]:
    principal.require(Permission.READ_SALES)
    with uow(company=principal.company_id) as u:
        lead = u.sales.get(Kind.LEADS, lead_id)
        if lead is None:
            raise NotFound("lead not found")
        deals = u.sales.list(Kind.DEALS, lead_id=lead_id, limit=1)
        return {**lead, "opportunity_id": deals[0]["id"] if deals else None}


def get_deal(uow: UnitOfWorkFactory, principal: Principal, deal_id: uuid.UUID) -> dict[str, Any]:
    principal.require(Permission.READ_SALES)
    with uow(company=principal.company_id) as u:
        deal = u.sales.get(Kind.DEALS, deal_id)
        if deal is None:
            raise NotFound("opportunity not found")
        project = u.sales.project_for_deal(deal_id)
        return {**deal, "project_id": project["id"] if project else None}


def get_project(uow: UnitOfWorkFactory, principal: Principal, project_id: uuid.UUID) -> dict[str, Any]:
    principal.require(Permission.READ_PROJECTS)
    with uow(company=principal.company_id) as u:
        project = u.sales.get(Kind.PROJECTS, project_id)
        if project is None:
            raise NotFound("project not found")
        return {**project, "tasks": u.sales.list(Kind.TASKS, project_id=project_id)}


def list_of(
    uow: UnitOfWorkFactory, principal: Principal, kind: str, page: Page | None = None
) -> list[Mapping[str, Any]]:
    """One page of one kind of sales record of the caller's tenant: leads, opportunities, clients or projects."""
    permission = {
        Kind.LEADS: Permission.READ_SALES,
        Kind.DEALS: Permission.READ_SALES,
        Kind.CLIENTS: Permission.READ_SALES,
        Kind.PROJECTS: Permission.READ_PROJECTS,
    }[Kind(kind)]
    principal.require(permission)
    with uow(company=principal.company_id) as u:
        return u.sales.list(Kind(kind), page=page or Page())


def get_client(uow: UnitOfWorkFactory, principal: Principal, client_id: uuid.UUID) -> ClientRecord:
    principal.require(Permission.READ_SALES)
    with uow(company=principal.company_id) as u:
        client = u.sales.get(Kind.CLIENTS, client_id)
        if client is None:
            raise NotFound("client not found")
        return client


def _campaign_of(u: UnitOfWork, deal: DealRecord) -> str | None:
    """The campaign that brought the deal's lead, if one did (for the analytics' conversion per campaign)."""
    lead = u.sales.get(Kind.LEADS, deal["lead_id"])
    return str(lead["campaign_id"]) if lead and lead.get("campaign_id") else None
