"""The assistant's tools: look-ups and one write, always on the caller's own company, with the caller's rights.

Each tool is a plain function (uow, principal, args) -> result; the result
carries a ``summary`` sentence the model may quote and the figures behind it.
Results are sanitised before the model or the client sees them
(``app.domain.sanitise``).

What the model asks for is read by ``app.domain.tool_calls`` first: a tool that
does not exist or arguments that break its schema are refused there, whatever
their shape or text. ``run_call`` then checks, in the tool's own transaction,
that the asker's session still holds and that their role (as it is now) may
use the tool, and runs it; for the one write, the asker's row is held until the
write commits, so a role change, a sign-out or a removal either comes before it
(and refuses it) or waits for it. Every refusal goes to the company's audit
trail (``record_refusal``).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from app.adapters.credentials import TokenSigner
from app.adapters.unit_of_work import UnitOfWorkFactory
from app.domain.clock import utc_now
from app.domain.errors import DomainError
from app.domain.records import Kind
from app.domain.roles import Permission
from app.domain.text_rules import escaped
from app.domain.tool_calls import TOOLS, ToolCall, refusal_for
from app.service_layer import tenancy
from app.service_layer.principal import Principal

Tool = Callable[[UnitOfWorkFactory, Principal, dict[str, Any]], dict[str, Any]]


class ToolError(DomainError):
    code = "tool_error"


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def open_pipeline_summary(uow: UnitOfWorkFactory, principal: Principal, args: dict[str, Any]) -> dict[str, Any]:
    principal.require(Permission.READ_SALES)
    with uow(company=principal.company_id) as u:
        rows = u.reports.open_pipeline()
    parts = [f"{_money(r['total'], r['currency'])} in {r['deals']} open deal{'s' * (r['deals'] != 1)}" for r in rows]
    return {
        "summary": "Open pipeline: " + ("; ".join(parts) if parts else "no open deals"),
        "pipeline": [{**r, "total": f"{r['total']:.2f}"} for r in rows],
    }


OVERDUE_LISTED = 100  # the invoices longest overdue a look-up names; the count says how many there are in all


def overdue_invoices(uow: UnitOfWorkFactory, principal: Principal, args: dict[str, Any]) -> dict[str, Any]:
    """How many invoices are overdue, naming the ``OVERDUE_LISTED`` longest overdue (every one was read and listed,
    however many: a company with thousands overdue had them all read at every look-up)."""
    principal.require(Permission.READ_BILLING)
    with uow(company=principal.company_id) as u:
        rows, overdue = u.reports.overdue_invoices(utc_now(), at_most=OVERDUE_LISTED)
    parts = [f"{r['client']} owes {_money(r['amount_due'], r['currency'])}" for r in rows]
    named = f"the {len(rows)} longest overdue: " if overdue > len(rows) else ""
    return {
        "summary": f"Overdue invoices: {overdue}" + (f" ({named}" + "; ".join(parts) + ")" if parts else ""),
        "invoices": [{**r, "amount_due": f"{r['amount_due']:.2f}"} for r in rows],
    }


def revenue_by_month(uow: UnitOfWorkFactory, principal: Principal, args: dict[str, Any]) -> dict[str, Any]:
    principal.require(Permission.READ_BILLING)
    with uow(company=principal.company_id) as u:
        rows = u.reports.revenue_by_month()
    parts = [f"{r['month']}: {_money(r['received'], r['currency'])}" for r in rows]
    return {
        "summary": "Revenue received by month: " + ("; ".join(parts) if parts else "none yet"),
        "months": [{**r, "received": f"{r['received']:.2f}"} for r in rows],
    }


def client_lookup(uow: UnitOfWorkFactory, principal: Principal, args: dict[str, Any]) -> dict[str, Any]:
    principal.require(Permission.READ_SALES)
    name = str(args["name"]).strip()
    with uow(company=principal.company_id) as u:
        rows = u.reports.clients_named(name)
    parts = [f"{r['name']}: {r['deals']} deal(s), invoiced {r['invoiced']:,.2f}" for r in rows]
    return {
        "summary": f"Clients matching '{name}': " + ("; ".join(parts) if parts else "none"),
        "clients": [{**r, "invoiced": f"{r['invoiced']:.2f}"} for r in rows],
    }


def create_follow_up_task(uow: UnitOfWorkFactory, principal: Principal, args: dict[str, Any]) -> dict[str, Any]:
    """The one write: a task on the client's latest delivery project, audited like any other."""
    principal.require(Permission.WRITE_SALES)
    title, client_name = str(args["title"]).strip(), str(args["client"]).strip()
    with uow(company=principal.company_id) as u:
        matches = [c for c in u.sales.list(Kind.CLIENTS) if c["name"].lower() == client_name.lower()]
        client_projects = [p for c in matches for p in u.sales.list(Kind.PROJECTS, client_id=c["id"])]
        if not client_projects:
            raise ToolError(f"{client_name} has no delivery project to attach a follow-up to", field="client")
        project = client_projects[-1]
        task = u.sales.add(
            Kind.TASKS,
            project_id=project["id"],
            title=title,
            status="open",
            assignee_id=principal.user_id,
            created_by=principal.user_id,
            written_via="assistant",
        )
        u.audit.append(
            action="task_created",
            actor_id=principal.user_id,
            entity_type="task",
            entity_id=task["id"],
            data={"project_id": str(project["id"]), "by": "assistant", "asked_by": str(principal.user_id)},
        )
    return {
        "summary": f"Follow-up task '{title}' created on {project['name']}",
        "task_id": str(task["id"]),
        "project_id": str(project["id"]),
    }


LOOKUPS: dict[str, Tool] = {
    "open_pipeline_summary": open_pipeline_summary,
    "overdue_invoices": overdue_invoices,
    "revenue_by_month": revenue_by_month,
    "client_lookup": client_lookup,
    "create_follow_up_task": create_follow_up_task,
}


def run_call(
    uow: UnitOfWorkFactory, signer: TokenSigner, token: str, call: ToolCall, tool: str | None = None
) -> dict[str, Any]:
    """Runs ``tool`` (default: the call's own) for the holder of ``token``, with their rights as they are now.

    Raises:
        Unauthenticated: the session has ended (signed out, expired, key retired, person or company removed).
        ToolRefused: the asker's role may not make this call.
    """
    name = tool or call.name
    principal = tenancy.authenticate(uow, signer, token, hold=TOOLS[name].writes)
    refusal = refusal_for(principal.role, call)
    if refusal is not None:
        raise refusal
    return LOOKUPS[name](uow, principal, dict(call.arguments) if name == call.name else {})


def record_refusal(uow: UnitOfWorkFactory, principal: Principal, call: ToolCall, refusal: DomainError) -> None:
    """A refused call goes to the company's audit trail: who asked, which tool, why, and what it was given
    (escaped and bounded, so no text the model wrote can break the entry). Nothing is written for a company
    that no longer exists."""
    with uow(company=principal.company_id) as u:
        if u.companies.by_id(principal.company_id) is None:
            return
        u.audit.append(
            action="assistant_tool_refused",
            actor_id=principal.user_id,
            entity_type="user",
            entity_id=principal.user_id,
            data={
                "tool": call.name,
                "reason": escaped(refusal.message, limit=300),
                "field": escaped(refusal.field or "", limit=80) or None,
                "arguments": call.echo,
                "tool_call_id": call.id,
            },
        )
