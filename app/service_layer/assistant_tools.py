"""The assistant's tools: look-ups and one write, always on the caller's own tenant.

Each tool is a plain function (principal, args) -> result; the result carries a
``summary`` sentence the model may quote and the figures behind it. Results are
sanitised before the model or the client sees them (``app.domain.sanitise``).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from app.adapters.unit_of_work import UnitOfWorkFactory
from app.domain.clock import utc_now
from app.domain.errors import DomainError
from app.domain.records import Kind
from app.domain.roles import Permission
from app.service_layer.principal import Principal

Tool = Callable[[UnitOfWorkFactory, Principal, dict[str, Any]], dict[str, Any]]


class ToolError(DomainError):
    code = "tool_error"


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def open_pipeline_summary(uow: UnitOfWorkFactory, principal: Principal, args: dict[str, Any]) -> dict[str, Any]:
    principal.require(Permission.READ_SALES)
    with uow() as u:
        rows = u.reports.open_pipeline(principal.tenant_id)
    parts = [f"{_money(r['total'], r['currency'])} in {r['deals']} open deal{'s' * (r['deals'] != 1)}" for r in rows]
    return {
        "summary": "Open pipeline: " + ("; ".join(parts) if parts else "no open deals"),
        "pipeline": [{**r, "total": f"{r['total']:.2f}"} for r in rows],
    }


def overdue_invoices(uow: UnitOfWorkFactory, principal: Principal, args: dict[str, Any]) -> dict[str, Any]:
    principal.require(Permission.READ_BILLING)
    with uow() as u:
        rows = u.reports.overdue_invoices(principal.tenant_id, utc_now())
    parts = [f"{r['client']} owes {_money(r['amount_due'], r['currency'])}" for r in rows]
    return {
        "summary": f"Overdue invoices: {len(rows)}" + (" (" + "; ".join(parts) + ")" if parts else ""),
        "invoices": [{**r, "amount_due": f"{r['amount_due']:.2f}"} for r in rows],
    }


def revenue_by_month(uow: UnitOfWorkFactory, principal: Principal, args: dict[str, Any]) -> dict[str, Any]:
    principal.require(Permission.READ_BILLING)
    with uow() as u:
        rows = u.reports.revenue_by_month(principal.tenant_id)
    parts = [f"{r['month']}: {_money(r['received'], r['currency'])}" for r in rows]
    return {
        "summary": "Revenue received by month: " + ("; ".join(parts) if parts else "none yet"),
        "months": [{**r, "received": f"{r['received']:.2f}"} for r in rows],
    }


def client_lookup(uow: UnitOfWorkFactory, principal: Principal, args: dict[str, Any]) -> dict[str, Any]:
    principal.require(Permission.READ_SALES)
    name = str(args.get("name", "")).strip()
    if not name:
        raise ToolError("client_lookup needs a name", field="name")
    with uow() as u:
        rows = u.reports.clients_named(principal.tenant_id, name)
    parts = [f"{r['name']}: {r['deals']} deal(s), invoiced {r['invoiced']:,.2f}" for r in rows]
    return {
        "summary": f"Clients matching '{name}': " + ("; ".join(parts) if parts else "none"),
        "clients": [{**r, "invoiced": f"{r['invoiced']:.2f}"} for r in rows],
    }


def create_follow_up_task(uow: UnitOfWorkFactory, principal: Principal, args: dict[str, Any]) -> dict[str, Any]:
    """The one write: a task on the client's latest delivery project, audited like any other."""
    principal.require(Permission.READ_PROJECTS)
    title = str(args.get("title", "")).strip()[:200]
    client_name = str(args.get("client", "")).strip()
    if not title or not client_name:
        raise ToolError("create_follow_up_task needs a title and a client", field="title")
    with uow() as u:
        matches = [
            c for c in u.sales.list(Kind.CLIENTS, principal.tenant_id) if c["name"].lower() == client_name.lower()
        ]
        client_projects = [
            p for c in matches for p in u.sales.list(Kind.PROJECTS, principal.tenant_id, client_id=c["id"])
        ]
        if not client_projects:
            raise ToolError(f"{client_name} has no delivery project to attach a follow-up to", field="client")
        project = client_projects[-1]
        task = u.sales.add(
            Kind.TASKS,
            principal.tenant_id,
            project_id=project["id"],
            title=title,
            status="open",
            assignee_id=principal.user_id,
        )
        u.audit.append(
            principal.tenant_id,
            action="task_created",
            actor_id=principal.user_id,
            entity_type="task",
            entity_id=task["id"],
            data={"project_id": str(project["id"]), "by": "assistant"},
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
WRITES = frozenset({"create_follow_up_task"})  # the others read one query's worth, with no transaction
RESEARCH_TOPICS = {"pipeline": "open_pipeline_summary", "overdue": "overdue_invoices", "revenue": "revenue_by_month"}


def _function(
    name: str, description: str, properties: dict[str, Any] | None = None, required: list[str] | None = None
) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": properties or {}, "required": required or []},
        },
    }


DEFINITIONS = [
    _function("open_pipeline_summary", "Total and count of the company's open deals, per currency."),
    _function("overdue_invoices", "Invoices past their due date that are not fully paid."),
    _function("revenue_by_month", "Payments received, per month and currency."),
    _function(
        "client_lookup",
        "Find clients by name, with their deals and invoiced amount.",
        {"name": {"type": "string"}},
        ["name"],
    ),
    _function(
        "create_follow_up_task",
        "Create a follow-up task on a client's latest delivery project.",
        {"title": {"type": "string"}, "client": {"type": "string"}},
        ["title", "client"],
    ),
    _function(
        "research",
        "Look up several topics at once: pipeline, overdue, revenue.",
        {"topics": {"type": "array", "items": {"type": "string", "enum": sorted(RESEARCH_TOPICS)}}},
        ["topics"],
    ),
]
