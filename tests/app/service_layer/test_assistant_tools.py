"""The platform's guard on the tool calls a model asks for: name, arguments, then the asker's right."""

import uuid

import pytest

from app.domain.roles import Role
from app.service_layer.assistant_tools import TOOL_RIGHTS, ToolRefused, check_call
from app.service_layer.principal import Principal


def _as(role: Role) -> Principal:
    return Principal(user_id=uuid.uuid4(), tenant_id=uuid.uuid4(), role=role)


@pytest.mark.parametrize(
    ("name", "args", "field"),
    [
        ("delete_all_invoices", {}, "tool"),
        ("client_lookup", None, "arguments"),
        ("client_lookup", {}, "name"),
        ("client_lookup", {"name": "Globex", "tenant_id": "x"}, "tenant_id"),
        ("client_lookup", {"name": "G" * 201}, "name"),
        ("client_lookup", {"name": 42}, "name"),
        ("research", {"topics": ["pipeline", "payroll"]}, "topics"),
        ("create_follow_up_task", {"title": "x"}, "client"),
    ],
)
def test_a_call_that_breaks_the_tools_schema_is_refused_by_name(name, args, field):
    with pytest.raises(ToolRefused) as refused:
        check_call(_as(Role.OWNER), name, args)
    assert refused.value.field == field


def test_text_of_exactly_the_limit_is_taken():
    assert check_call(_as(Role.OWNER), "client_lookup", {"name": "G" * 200}) == ["client_lookup"]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("tool", sorted(TOOL_RIGHTS))
def test_each_tool_follows_the_rights_table_for_each_role(role, tool):
    from app.domain.roles import role_allows

    args = {"client_lookup": {"name": "Globex"}, "create_follow_up_task": {"title": "x", "client": "y"}}.get(tool, {})
    if role_allows(role, TOOL_RIGHTS[tool]):
        assert check_call(_as(role), tool, args) == [tool]
    else:
        with pytest.raises(ToolRefused, match="may not"):
            check_call(_as(role), tool, args)


def test_research_needs_the_right_of_every_topic_it_looks_up():
    assert check_call(_as(Role.SALES), "research", {"topics": ["pipeline"]}) == ["open_pipeline_summary"]
    with pytest.raises(ToolRefused, match="may not read overdue invoices"):
        check_call(_as(Role.SALES), "research", {"topics": ["pipeline", "overdue"]})
