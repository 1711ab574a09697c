"""Defects in what the assistant may do for whom."""

from __future__ import annotations

from typing import Any

from app.domain.roles import Permission, Role
from app.service_layer import agent_runtime, assistant_tools
from support.defects.planting import replace


def tool_rights_unchecked() -> None:
    """The platform checks a tool call's name and arguments but not the asker's right; the follow-up tool
    only asks for the right to read projects."""
    original = assistant_tools.check_call

    def check_call(principal: Any, name: str, args: Any) -> list[str]:
        as_owner = type(principal)(user_id=principal.user_id, tenant_id=principal.tenant_id, role=Role.OWNER)
        return original(as_owner, name, args)

    replace(assistant_tools, "check_call", check_call)
    replace(
        assistant_tools,
        "TOOL_RIGHTS",
        {**assistant_tools.TOOL_RIGHTS, "create_follow_up_task": Permission.READ_PROJECTS},
    )


def tool_refusals_not_audited() -> None:
    """A tool call the platform refuses leaves no entry in the company's audit trail."""
    replace(assistant_tools, "record_refusal", lambda uow, principal, name, refusal: None)


def tool_call_limit_ignored() -> None:
    """The number of tool calls one question may make is not bounded."""
    original = agent_runtime.AgentRuntime.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **{**kwargs, "max_tool_calls": 10_000})

    replace(agent_runtime.AgentRuntime, "__init__", __init__)


def tool_calls_per_minute_unbounded() -> None:
    """A person's look-ups per minute are counted but never refused."""
    from app.adapters.rate_limiter import RunRateLimiter

    async def allow_tool_calls(self: Any, tenant_id: Any, user_id: Any, count: int, per_minute: int) -> bool:
        return True

    replace(RunRateLimiter, "allow_tool_calls", allow_tool_calls)
