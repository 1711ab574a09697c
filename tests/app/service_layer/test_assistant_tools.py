"""The assistant's look-ups say what they found in a sentence the model may quote, and a refused call is
audited with its reason and the field it names, bounded."""

from __future__ import annotations

import contextlib
import uuid
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from app.domain.roles import Role
from app.domain.tool_calls import ToolRefused, read_calls
from app.service_layer import assistant_tools
from app.service_layer.principal import Principal

OWNER = Principal(user_id=uuid.uuid4(), company_id=uuid.uuid4(), role=Role.OWNER)


def _uow(**reports: Any) -> Any:
    """A unit of work whose reports answer what is given (and keep what each was asked with), and whose audit trail
    keeps what is appended."""
    appended: list[dict[str, Any]] = []
    asked: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}

    def answering(name: str, rows: Any) -> Any:
        def report(*args: Any, **kwargs: Any) -> Any:
            asked[name] = (args, kwargs)
            return rows

        return report

    unit = SimpleNamespace(
        reports=SimpleNamespace(**{name: answering(name, rows) for name, rows in reports.items()}, asked=asked),
        audit=SimpleNamespace(append=lambda **entry: appended.append(entry)),
        companies=SimpleNamespace(by_id=lambda _: {"id": OWNER.company_id}),
        appended=appended,
    )

    @contextlib.contextmanager
    def factory(**_: Any) -> Any:
        yield unit

    factory.unit = unit  # type: ignore[attr-defined]
    return factory


@pytest.mark.parametrize(
    ("deals", "said"),
    [(1, "Open pipeline: 1,200.00 EUR in 1 open deal"), (2, "Open pipeline: 1,200.00 EUR in 2 open deals")],
)
def test_the_pipeline_is_said_with_one_deal_or_several(deals, said):
    uow = _uow(open_pipeline=[{"currency": "EUR", "deals": deals, "total": Decimal("1200.00")}])
    assert assistant_tools.open_pipeline_summary(uow, OWNER, {})["summary"] == said


def test_an_empty_pipeline_is_said_so():
    assert assistant_tools.open_pipeline_summary(_uow(open_pipeline=[]), OWNER, {})["summary"] == (
        "Open pipeline: no open deals"
    )


def test_overdue_invoices_are_said_with_who_owes_what():
    rows = [
        {"client": "Globex", "amount_due": Decimal("121.00"), "currency": "EUR"},
        {"client": "Initech", "amount_due": Decimal("5.50"), "currency": "USD"},
    ]
    summary = assistant_tools.overdue_invoices(_uow(overdue_invoices=(rows, 2)), OWNER, {})["summary"]
    assert summary == "Overdue invoices: 2 (Globex owes 121.00 EUR; Initech owes 5.50 USD)"
    none = assistant_tools.overdue_invoices(_uow(overdue_invoices=([], 0)), OWNER, {})["summary"]
    assert none == "Overdue invoices: 0"


def test_overdue_invoices_past_those_named_are_counted_and_the_named_said_to_be_the_longest_overdue():
    """A look-up read every overdue invoice of the company, however many: it reads the longest overdue now."""
    rows = [{"client": "Globex", "amount_due": Decimal("121.00"), "currency": "EUR"}]
    uow = _uow(overdue_invoices=(rows, 250))
    summary = assistant_tools.overdue_invoices(uow, OWNER, {})["summary"]
    assert summary == "Overdue invoices: 250 (the 1 longest overdue: Globex owes 121.00 EUR)"
    assert uow.unit.reports.asked["overdue_invoices"][1] == {"at_most": assistant_tools.OVERDUE_LISTED}


def test_revenue_is_said_month_by_month_or_none_yet():
    rows = [{"month": "2026-11", "received": Decimal("1000.00"), "currency": "EUR"}]
    said = assistant_tools.revenue_by_month(_uow(revenue_by_month=rows), OWNER, {})["summary"]
    assert said == "Revenue received by month: 2026-11: 1,000.00 EUR"
    empty = assistant_tools.revenue_by_month(_uow(revenue_by_month=[]), OWNER, {})["summary"]
    assert empty == "Revenue received by month: none yet"


def test_a_refusal_is_audited_with_its_reason_and_the_field_it_names_up_to_eighty_characters():
    key = "k" * 80
    (call,) = read_calls([{"id": "c1", "function": {"name": "client_lookup", "arguments": {key: "x"}}}], lambda: "m")
    assert call.refusal is not None and call.refusal.field == key
    uow = _uow()
    assistant_tools.record_refusal(uow, OWNER, call, call.refusal)
    (entry,) = uow.unit.appended
    assert entry["action"] == "assistant_tool_refused"
    assert entry["data"]["field"] == key
    assert entry["data"]["reason"] == f"client_lookup takes no argument '{key}'"


def test_a_refusal_naming_no_field_is_audited_with_none():
    (call,) = read_calls([{"id": "c1", "function": {"name": "revenue_by_month", "arguments": "{}"}}], lambda: "m")
    uow = _uow()
    assistant_tools.record_refusal(uow, OWNER, call, ToolRefused("no more look-ups this minute"))
    (entry,) = uow.unit.appended
    assert entry["data"]["field"] is None


def test_a_follow_up_goes_to_the_clients_latest_delivery_project():
    client = {"id": uuid.uuid4(), "name": "Initech"}
    first, latest = ({"id": uuid.uuid4(), "name": name} for name in ("Roll-out", "Second phase"))
    added: list[dict[str, Any]] = []

    def listed(kind: Any, **filters: Any) -> list[dict[str, Any]]:
        return [client] if kind == "clients" else [first, latest] if filters.get("client_id") == client["id"] else []

    task = uuid.uuid4()
    uow = _uow()
    uow.unit.sales = SimpleNamespace(list=listed, add=lambda kind, **row: added.append(row) or {"id": task})
    done = assistant_tools.create_follow_up_task(uow, OWNER, {"title": "Call back", "client": "initech"})
    assert [row["project_id"] for row in added] == [latest["id"]]
    assert done == {  # the task and its project named: the person (and the model) can point at what was written
        "summary": "Follow-up task 'Call back' created on Second phase",
        "task_id": str(task),
        "project_id": str(latest["id"]),
    }
