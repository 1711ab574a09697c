"""The assistant's tools: look-ups and one write, always on the caller's own tenant, with the caller's rights.

Each tool is a plain function (principal, args) -> result; the result carries a
``summary`` sentence the model may quote and the figures behind it. Results are
sanitised before the model or the client sees them (``app.domain.sanitise``).

Whatever the model asks for goes through ``check_call`` first: a tool that does
not exist, arguments that break its schema, or a tool the caller's role may not
use is refused by the platform (``ToolRefused``), never left to the model.
``TOOL_RIGHTS`` is the tools' row of the platform's rights table.
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


class ToolRefused(DomainError):
    """The platform refused a call the model asked for: unknown tool, bad arguments, or not the caller's right."""

    code = "tool_refused"


TOOL_RIGHTS: dict[str, Permission] = {  # the right each tool needs, as the HTTP operations do
    "open_pipeline_summary": Permission.READ_SALES,
    "overdue_invoices": Permission.READ_BILLING,
    "revenue_by_month": Permission.READ_BILLING,
    "client_lookup": Permission.READ_SALES,
    "create_follow_up_task": Permission.WRITE_SALES,
}
TOOL_WORDS = {  # what each tool does, in the words a refusal uses
    "open_pipeline_summary": "read the open pipeline",
    "overdue_invoices": "read overdue invoices",
    "revenue_by_month": "read revenue",
    "client_lookup": "look up clients",
    "create_follow_up_task": "create follow-up tasks",
}
ARGUMENT_TEXT_LIMIT = 200


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def open_pipeline_summary(uow: UnitOfWorkFactory, principal: Principal, args: dict[str, Any]) -> dict[str, Any]:
    principal.require(Permission.READ_SALES)
    with uow(company=principal.tenant_id) as u:
        rows = u.reports.open_pipeline()
    parts = [f"{_money(r['total'], r['currency'])} in {r['deals']} open deal{'s' * (r['deals'] != 1)}" for r in rows]
    return {
        "summary": "Open pipeline: " + ("; ".join(parts) if parts else "no open deals"),
        "pipeline": [{**r, "total": f"{r['total']:.2f}"} for r in rows],
    }


def overdue_invoices(uow: UnitOfWorkFactory, principal: Principal, args: dict[str, Any]) -> dict[str, Any]:
    principal.require(Permission.READ_BILLING)
    with uow(company=principal.tenant_id) as u:
        rows = u.reports.overdue_invoices(utc_now())
    parts = [f"{r['client']} owes {_money(r['amount_due'], r['currency'])}" for r in rows]
    return {
        "summary": f"Overdue invoices: {len(rows)}" + (" (" + "; ".join(parts) + ")" if parts else ""),
        "invoices": [{**r, "amount_due": f"{r['amount_due']:.2f}"} for r in rows],
    }


def revenue_by_month(uow: UnitOfWorkFactory, principal: Principal, args: dict[str, Any]) -> dict[str, Any]:
    principal.require(Permission.READ_BILLING)
    with uow(company=principal.tenant_id) as u:
        rows = u.reports.revenue_by_month()
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
    with uow(company=principal.tenant_id) as u:
        rows = u.reports.clients_named(name)
    parts = [f"{r['name']}: {r['deals']} deal(s), invoiced {r['invoiced']:,.2f}" for r in rows]
    return {
        "summary": f"Clients matching '{name}': " + ("; ".join(parts) if parts else "none"),
        "clients": [{**r, "invoiced": f"{r['invoiced']:.2f}"} for r in rows],
    }


def create_follow_up_task(uow: UnitOfWorkFactory, principal: Principal, args: dict[str, Any]) -> dict[str, Any]:
    """The one write: a task on the client's latest delivery project, audited like any other."""
    principal.require(TOOL_RIGHTS["create_follow_up_task"])
    title = str(args.get("title", "")).strip()[:200]
    client_name = str(args.get("client", "")).strip()
    if not title or not client_name:
        raise ToolError("create_follow_up_task needs a title and a client", field="title")
    with uow(company=principal.tenant_id) as u:
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


_SCHEMAS = {d["function"]["name"]: d["function"]["parameters"] for d in DEFINITIONS}


def check_call(principal: Principal, name: str, args: dict[str, Any] | None) -> list[str]:
    """The tools this call will run (research runs several); raises ToolRefused naming what is wrong.

    ``args`` is None when the model's arguments were not a JSON object.
    """
    if name not in _SCHEMAS:
        raise ToolRefused(f"there is no tool called {name[:80]!r}", field="tool")
    if args is None:
        raise ToolRefused(f"the arguments of {name} are not a JSON object", field="arguments")
    schema = _SCHEMAS[name]
    for argument in schema["required"]:
        if argument not in args:
            raise ToolRefused(f"{name} needs the argument {argument!r}", field=argument)
    for argument, value in args.items():
        if argument not in schema["properties"]:
            raise ToolRefused(f"{name} takes no argument {str(argument)[:80]!r}", field=str(argument)[:80])
        kind = schema["properties"][argument]
        if kind["type"] == "string" and not (isinstance(value, str) and len(value) <= ARGUMENT_TEXT_LIMIT):
            raise ToolRefused(f"{argument} must be text of at most {ARGUMENT_TEXT_LIMIT} characters", field=argument)
        if kind["type"] == "array" and not (
            isinstance(value, list)
            and len(value) <= len(kind["items"]["enum"])
            and set(value) <= set(kind["items"]["enum"])
        ):
            raise ToolRefused(f"{argument} must list some of {', '.join(kind['items']['enum'])}", field=argument)
    tools = [RESEARCH_TOPICS[t] for t in args.get("topics", [])] if name == "research" else [name]
    for tool in tools:
        if not principal.may(TOOL_RIGHTS[tool]):
            raise ToolRefused(
                f"{_with_article(principal.role.value)} may not {TOOL_WORDS[tool]}, so the assistant may not do it for you",
                field="tool",
            )
    return tools


def _with_article(role: str) -> str:
    return f"{'an' if role[0] in 'aeiou' else 'a'} {role}"


def record_refusal(uow: UnitOfWorkFactory, principal: Principal, name: str, refusal: ToolRefused) -> None:
    """A refused call goes to the company's audit trail, with who asked and why it was refused."""
    with uow(company=principal.tenant_id) as u:
        u.audit.append(
            action="assistant_tool_refused",
            actor_id=principal.user_id,
            entity_type="user",
            entity_id=principal.user_id,
            data={"tool": name[:80], "reason": refusal.message[:300], "field": refusal.field},
        )
