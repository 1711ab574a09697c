"""Marketing campaigns that bring leads, and support tickets once a client's delivery has started."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from app.adapters.unit_of_work import UnitOfWorkFactory
from app.domain import tickets
from app.domain.clock import utc_now
from app.domain.errors import Conflict, NotFound
from app.domain.records import CampaignRecord, Kind, TicketRecord
from app.domain.roles import Permission
from app.service_layer.principal import Principal


def start_campaign(
    uow: UnitOfWorkFactory, principal: Principal, *, name: str, budget: Decimal, currency: str
) -> CampaignRecord:
    principal.require(Permission.WRITE_SALES)
    with uow(company=principal.company_id) as u:
        campaign = u.sales.add(Kind.CAMPAIGNS, name=name, budget=budget, currency=currency)
        u.audit.append(
            action="campaign_started",
            actor_id=principal.user_id,
            entity_type="campaign",
            entity_id=campaign["id"],
            data={"amount": f"{budget:.2f}", "currency": currency},
        )
        return campaign


def list_campaigns(uow: UnitOfWorkFactory, principal: Principal) -> list[CampaignRecord]:
    principal.require(Permission.READ_SALES)
    with uow(company=principal.company_id) as u:
        return u.sales.list(Kind.CAMPAIGNS)


def campaign_returns(uow: UnitOfWorkFactory, principal: Principal) -> list[dict[str, Any]]:
    """Per campaign: leads it brought, deals won from them, money received for them in the campaign's currency (in
    any other, shown apart), and the return: what came in, in the campaign's currency, less its budget."""
    principal.require(Permission.READ_REPORTS)
    with uow(company=principal.company_id) as u:
        rows = u.reports.campaign_returns()
    return [{**r, "return": r["revenue"] - r["budget"]} for r in rows]


def open_ticket(uow: UnitOfWorkFactory, principal: Principal, *, client_id: uuid.UUID, subject: str) -> TicketRecord:
    principal.require(Permission.WRITE_SALES)
    with uow(company=principal.company_id) as u:
        if u.sales.get(Kind.CLIENTS, client_id) is None:
            raise NotFound("client not found", field="client_id")
        if not u.sales.list(Kind.PROJECTS, client_id=client_id, limit=1):
            raise Conflict("not_delivered", "support starts once the client's delivery has started", field="client_id")
        ticket = u.sales.add(
            Kind.TICKETS,
            client_id=client_id,
            subject=subject,
            status=tickets.TicketStatus.OPEN.value,
            opened_by=principal.user_id,
        )
        u.audit.append(
            action="ticket_opened",
            actor_id=principal.user_id,
            entity_type="ticket",
            entity_id=ticket["id"],
        )
        return ticket


def _ticket_change(
    uow: UnitOfWorkFactory,
    principal: Principal,
    ticket_id: uuid.UUID,
    action: str,
    check: Any,
    audited: dict[str, Any] | None = None,
    **changes: Any,
) -> dict[str, Any]:
    principal.require(Permission.WRITE_SALES)
    with uow(company=principal.company_id) as u:
        ticket = u.sales.get(Kind.TICKETS, ticket_id, lock=True)
        if ticket is None:
            raise NotFound("ticket not found")
        check(tickets.TicketStatus(ticket["status"]))
        u.sales.change(Kind.TICKETS, ticket_id, **changes)
        u.audit.append(
            action=action, actor_id=principal.user_id, entity_type="ticket", entity_id=ticket_id, data=audited or {}
        )
        return {**ticket, **changes}


def answer_ticket(uow: UnitOfWorkFactory, principal: Principal, ticket_id: uuid.UUID, *, answer: str) -> dict[str, Any]:
    return _ticket_change(
        uow,
        principal,
        ticket_id,
        "ticket_answered",
        tickets.ensure_can_answer,
        {"answer": answer},  # the ticket holds its latest answer; the trail, every answer the client was given
        answer=answer,
        status=tickets.TicketStatus.ANSWERED.value,
    )


def close_ticket(uow: UnitOfWorkFactory, principal: Principal, ticket_id: uuid.UUID) -> dict[str, Any]:
    return _ticket_change(
        uow,
        principal,
        ticket_id,
        "ticket_closed",
        tickets.ensure_can_close,
        status=tickets.TicketStatus.CLOSED.value,
        closed_at=utc_now(),
    )


def get_ticket(uow: UnitOfWorkFactory, principal: Principal, ticket_id: uuid.UUID) -> TicketRecord:
    principal.require(Permission.READ_SALES)
    with uow(company=principal.company_id) as u:
        ticket = u.sales.get(Kind.TICKETS, ticket_id)
        if ticket is None:
            raise NotFound("ticket not found")
        return ticket
