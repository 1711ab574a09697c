"""Defects in what the assistant may do for whom."""

from __future__ import annotations

from typing import Any

from app.service_layer import agent_runtime, assistant_tools
from support.defects.planting import replace


def tool_rights_unchecked() -> None:
    """The platform checks a tool call's name and arguments but not the asker's right (the tools' own
    checks still stop what a role may not do, as a failure rather than a refusal)."""
    replace(assistant_tools, "refusal_for", lambda role, call: None)


def tool_refusals_not_audited() -> None:
    """A tool call the platform refuses leaves no entry in the company's audit trail."""
    replace(assistant_tools, "record_refusal", lambda uow, principal, call, refusal: None)


def tool_call_limit_ignored() -> None:
    """The number of tool calls one question may make is not bounded."""
    original = agent_runtime.AgentRuntime.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **{**kwargs, "max_tool_calls": 10_000})

    replace(agent_runtime.AgentRuntime, "__init__", __init__)


def tool_calls_per_minute_unbounded() -> None:
    """A person's look-ups per minute are counted but never refused."""
    from app.adapters.rate_limiter import RunRateLimiter

    async def allow_tool_calls(self: Any, company_id: Any, user_id: Any, count: int, per_minute: int) -> bool:
        return True

    replace(RunRateLimiter, "allow_tool_calls", allow_tool_calls)
