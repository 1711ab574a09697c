"""The agent runtime keeps a run's events in seq order whatever finishes at once inside the run."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

import pytest

from app.domain.roles import Role
from app.service_layer import agent_runtime
from app.service_layer.agent_runtime import AgentRuntime
from app.service_layer.principal import Principal
from support.areas.assistant.event_contract import broken_rules
from support.defects.event_defects import run_appends_unserialised


class SlowFirstAppendLog:
    """Keeps events in the order they reach the log; the first tool result takes a while to get there."""

    def __init__(self) -> None:
        self.stored: list[dict[str, Any]] = []
        self.slowed = False

    async def append(self, tenant_id: Any, event: dict[str, Any], **_: Any) -> bool:
        if event["type"] == "tool_completed" and not self.slowed:
            self.slowed = True
            await asyncio.sleep(0.05)
        self.stored.append(event)
        return True

    async def release(self, *_: Any) -> None:
        pass


class TwoToolModel:
    """Asks for two tools at once, then answers."""

    def __init__(self) -> None:
        self.calls = 0

    async def complete(self, messages: list[dict], tools: list[dict], *, user: str | None = None) -> dict[str, Any]:
        self.calls += 1
        if self.calls == 1:
            return {
                "message": {
                    "content": None,
                    "tool_calls": [
                        {"id": f"call_{name}", "function": {"name": name, "arguments": "{}"}}
                        for name in ("first", "second")
                    ],
                },
                "usage": {},
            }
        return {"message": {"content": "done"}, "usage": {}}


class InlineUnitOfWork:
    async def __call__(self, work, **_: Any):
        return work(None)

    @contextlib.asynccontextmanager
    async def transaction(self, **_: Any):
        class Steps:
            async def run(self, work):
                return work(None)

        yield Steps()


class AlwaysAllowed:
    async def allow(self, *_: Any) -> bool:
        return True

    async def allow_tool_calls(self, *_: Any) -> bool:
        return True


class NoFanOut:
    on_cancel = None


@pytest.fixture
def runtime(monkeypatch) -> tuple[AgentRuntime, SlowFirstAppendLog]:
    monkeypatch.setattr(
        agent_runtime.threads,
        "settings_for_question",
        lambda uow, principal, thread_id: {"assistant_runs_per_minute": 30, "assistant_tool_timeout_ms": 5000},
    )
    monkeypatch.setattr(agent_runtime.threads, "store_question", lambda uow, principal, **_: ("thread-1", []))
    monkeypatch.setattr(agent_runtime.threads, "store_answer", lambda uow, principal, **_: None)
    monkeypatch.setattr(
        agent_runtime, "LOOKUPS", {"first": lambda *_: {"summary": "one"}, "second": lambda *_: {"summary": "two"}}
    )
    monkeypatch.setattr(agent_runtime.tools, "check_call", lambda principal, name, args: [name])  # two test tools
    log = SlowFirstAppendLog()
    return AgentRuntime(
        InlineUnitOfWork(),
        TwoToolModel(),
        log,
        NoFanOut(),
        AlwaysAllowed(),
        max_running=4,
        max_waiting=4,
        lease_seconds=10,
    ), log


async def _one_run(runtime: AgentRuntime) -> None:
    await runtime.start_background()
    principal = Principal(user_id=uuid.uuid4(), tenant_id=uuid.uuid4(), role=Role.OWNER)
    _run_id, _ = await runtime.start(principal, text="two things at once", thread_id=None)
    while runtime.runs_here:
        await asyncio.sleep(0.01)
    await runtime.close()


def test_two_tools_finishing_together_reach_the_log_in_seq_order(runtime):
    engine, log = runtime
    asyncio.run(_one_run(engine))
    assert [e["seq"] for e in log.stored] == list(range(8))
    assert broken_rules(log.stored) == []


def test_the_order_check_catches_appends_that_are_not_serialised(runtime):
    """The same run with the lock left out (a planted defect): the second result overtakes the first."""
    engine, log = runtime
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(AgentRuntime, "_emit", AgentRuntime._emit)
        run_appends_unserialised()
        asyncio.run(_one_run(engine))
    assert [e["seq"] for e in log.stored] != list(range(8))
