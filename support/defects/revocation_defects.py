"""Defects in taking rights away and in reading what the model asks for (issue 27's classes)."""

from __future__ import annotations

import asyncio
import json
import math
from contextvars import ContextVar
from typing import Any

from app.adapters import tenancy_repository, unit_of_work
from app.domain import tool_calls
from app.domain.errors import TimedOut
from app.entrypoints.ws import assistant as assistant_socket
from app.service_layer import assistant_tools
from app.service_layer.agent_runtime import AgentRuntime
from support.defects.planting import replace


def open_socket_keeps_its_session() -> None:
    """An open assistant connection checks the session only when it opens: a sign-out, an expiry or a removal
    never closes it."""

    async def refresh(self: Any) -> Any:
        return self.session.principal

    async def session_ends(self: Any) -> None:
        await asyncio.Event().wait()

    replace(assistant_socket.Connection, "refresh", refresh)
    replace(assistant_socket.Connection, "session_ends", session_ends)


def tools_keep_the_role_asked_with() -> None:
    """A question's tools run with the role the person had when they asked, not the role they have now."""
    asked_with: ContextVar[Any] = ContextVar("asked_with")

    def run_call(uow: Any, signer: Any, token: Any, call: Any, tool: str | None = None) -> Any:
        principal = asked_with.get()
        refusal = tool_calls.refusal_for(principal.role, call)
        if refusal is not None:
            raise refusal
        name = tool or call.name
        return assistant_tools.LOOKUPS[name](uow, principal, dict(call.arguments) if name == call.name else {})

    original = AgentRuntime._outcome

    async def outcome(self: AgentRuntime, run: Any, call: Any) -> Any:
        asked_with.set(run.principal)
        return await original(self, run, call)

    replace(AgentRuntime, "_outcome", outcome)
    replace(assistant_tools, "run_call", run_call)


def odd_tool_text_passed_on() -> None:
    """A tool's text arguments are checked for type and length only: control characters and half characters
    reach the database."""

    def name_problem(value: object, *, limit: int = 200) -> str | None:
        if not isinstance(value, str):
            return "must be text"
        return None if 1 <= len(value) <= limit else f"must be 1 to {limit} characters"

    replace(tool_calls, "name_problem", name_problem)


def lax_numbers_echoed() -> None:
    """The model's arguments are read by a lax JSON reader (NaN and 1e999 taken) and echoed as they are."""

    def parse_json(text: str, tool: str) -> Any:
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            raise tool_calls._Refused(f"the arguments of {tool} are not JSON", "arguments", {}) from None

    original_of = tool_calls._Echo.of

    def of(self: Any, value: Any, depth: int = 0) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return value
        return original_of(self, value, depth)

    replace(tool_calls, "parse_json", parse_json)
    replace(tool_calls._Echo, "of", of)


def refused_call_stops_its_batch() -> None:
    """A call the platform refuses stops the other calls the model asked for at the same time: the run fails,
    though a write among them may already be done."""
    original = AgentRuntime._outcome

    async def outcome(self: AgentRuntime, run: Any, call: Any) -> Any:
        if call.refusal is not None:
            await self._record_refusal(run, call, call.refusal)
            raise call.refusal
        return await original(self, run, call)

    replace(AgentRuntime, "_outcome", outcome)


def write_abandoned_at_its_time_limit() -> None:
    """A follow-up past its time limit is abandoned where it is, even mid-commit: it can be reported stopped
    and be written all the same."""

    async def write(self: AgentRuntime, run: Any, call: Any) -> Any:
        work = self._uow(
            lambda uow: assistant_tools.run_call(uow, self._signer, run.token, call),
            statement_timeout_ms=max(1, int(run.tool_timeout * 1000)),
        )
        try:
            async with asyncio.timeout(run.tool_timeout):
                return await work
        except TimeoutError:
            raise TimedOut("stopped") from None

    replace(AgentRuntime, "_write", write)


def research_of_every_topic_unchecked() -> None:
    """Research asked for no topic in particular (every topic) is not checked against each topic's right."""
    original = tool_calls.refusal_for

    def refusal_for(role: Any, call: Any) -> Any:
        if call.name == "research" and len(call.arguments.get("topics", ())) == len(tool_calls.RESEARCH_TOPICS):
            return None
        return original(role, call)

    replace(tool_calls, "refusal_for", refusal_for)
    replace(assistant_tools, "refusal_for", refusal_for)


def write_does_not_hold_its_asker() -> None:
    """The assistant's write checks the asker's rights without holding them: a role change made while the write
    is under way goes through at once, and the write then commits with a right its asker no longer has."""
    original = tenancy_repository.signed_in_as

    def signed_in_as(
        conn: Any, company: Any, user_id: Any, token_id: Any, *, local: bool, hold: bool = False, **rest: Any
    ) -> Any:
        return original(conn, company, user_id, token_id, local=local, hold=False, **rest)

    replace(unit_of_work, "signed_in_as", signed_in_as)


def sign_out_does_not_wait_for_writes() -> None:
    """A sign-out ends the session at once, without waiting for a write under way for it, which then commits
    for a session already signed out."""

    def hold_for_change(self: Any, user_id: Any) -> None:
        return None

    replace(tenancy_repository.PeopleRepository, "hold_for_change", hold_for_change)
