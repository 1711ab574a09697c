"""The assistant's agent loop: the model chooses tools, the platform runs them, every stage is an event.

A run is an asyncio task owned by the instance that accepted the question; its
events go to a Redis stream (``EventStream``), never straight to a socket, so a
client can follow or resume it from any instance. Blocking work (database,
model HTTP) runs in worker threads. Cancelling the task (the user's cancel)
closes open tool calls as ``cancelled`` and ends the run with ``agent_failed``.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

import anyio
from psycopg.errors import QueryCanceled
from sqlalchemy.exc import OperationalError

from app.adapters.event_stream import EventStream
from app.adapters.model_client import ModelClient
from app.adapters.rate_limiter import RunRateLimiter
from app.adapters.unit_of_work import UnitOfWorkFactory
from app.domain import assistant_events as ev
from app.domain.clock import utc_now
from app.domain.errors import DependencyUnavailable, DomainError, NotFound, RuleViolation
from app.domain.sanitise import sanitise
from app.service_layer.assistant_tools import DEFINITIONS, LOOKUPS, RESEARCH_TOPICS
from app.service_layer.principal import Principal

log = logging.getLogger("app.assistant")
MAX_TURNS = 5
SYSTEM_PROMPT = ("You are the company's business assistant. Use the tools to answer from the company's own "
                 "data; quote figures exactly as the tools give them.")


class RateLimited(RuleViolation):
    def __init__(self, per_minute: int) -> None:
        super().__init__("rate_limited", f"at most {per_minute} questions a minute; try again in a minute")


@dataclass
class Run:
    principal: Principal
    events: ev.RunEvents
    text: str
    task: asyncio.Task | None = None
    open_calls: dict[str, str] = field(default_factory=dict)


class AgentRuntime:
    def __init__(self, uow: UnitOfWorkFactory, model: ModelClient, stream: EventStream,
                 limiter: RunRateLimiter) -> None:
        self._uow = uow
        self._model = model
        self._stream = stream
        self._limiter = limiter
        self._runs: dict[str, Run] = {}

    async def start(self, principal: Principal, *, text: str, thread_id: str | None) -> tuple[str, str]:
        """Accepts a question: checks the thread and the rate limit, starts the run. Returns (run_id, thread_id)."""
        settings, thread = await anyio.to_thread.run_sync(self._thread_for, principal, text, thread_id)
        if not await self._limiter.allow(principal.tenant_id, principal.user_id,
                                         settings["assistant_runs_per_minute"]):
            raise RateLimited(settings["assistant_runs_per_minute"])
        run_id = uuid.uuid4().hex
        run = Run(principal, ev.RunEvents(run_id=run_id, thread_id=str(thread["id"])), text)
        await self._stream.open(principal.tenant_id, run_id, principal.user_id)
        run.task = asyncio.create_task(self._execute(run, settings["assistant_tool_timeout_ms"] / 1000))
        self._runs[run_id] = run
        run.task.add_done_callback(lambda _: self._runs.pop(run_id, None))
        return run_id, str(thread["id"])

    def cancel(self, principal: Principal, run_id: str) -> bool:
        """Cancels a run of this user running on this instance; False when there is none."""
        run = self._runs.get(run_id)
        if run is None or run.principal.user_id != principal.user_id or run.task is None:
            return False
        run.task.cancel()
        return True

    def _thread_for(self, principal: Principal, text: str, thread_id: str | None) -> tuple[dict, dict]:
        with self._uow() as u:
            settings = u.settings.of(principal.tenant_id)
            if thread_id is None:
                thread = u.assistant.add_thread(principal.tenant_id, principal.user_id, text)
            else:
                thread = u.assistant.thread(principal.tenant_id, principal.user_id, _uuid(thread_id))
                if thread is None:
                    raise NotFound("thread not found", field="thread_id")
                if thread["archived"]:
                    raise RuleViolation("thread_archived", "this thread is archived", field="thread_id")
            return settings, thread

    async def _emit(self, run: Run, kind: str, data: dict[str, Any], tool_call_id: str | None = None) -> None:
        event = run.events.event(kind, data, utc_now(), tool_call_id=tool_call_id)
        await self._stream.publish(run.principal.tenant_id, event)

    async def _execute(self, run: Run, tool_timeout: float) -> None:
        try:
            await self._emit(run, ev.STARTED, {"input": run.text})
            history = await anyio.to_thread.run_sync(self._remember_question, run)
            await self._loop(run, history, tool_timeout)
        except asyncio.CancelledError:
            await self._close_open_calls(run, "cancelled", "the user cancelled the run")
            await self._emit(run, ev.FAILED, {"code": "cancelled", "message": "the run was cancelled",
                                              "retryable": False})
        except DependencyUnavailable as exc:
            await self._close_open_calls(run, "error", exc.message)
            await self._emit(run, ev.FAILED, {"code": f"{exc.dependency}_unavailable", "message": exc.message,
                                              "retryable": True})
        except Exception:  # the run must end with a terminal event whatever happened
            log.exception("assistant run %s failed", run.events.run_id)
            await self._close_open_calls(run, "error", "internal error")
            if not run.events.finished:
                await self._emit(run, ev.FAILED, {"code": "internal_error", "message": "the assistant failed",
                                                  "retryable": True})

    async def _loop(self, run: Run, messages: list[dict[str, Any]], tool_timeout: float) -> None:
        results: list[dict[str, Any]] = []
        await self._emit(run, ev.THINKING, {"text": "Reading the question"})
        for _turn in range(MAX_TURNS):
            reply = await anyio.to_thread.run_sync(self._model.complete, messages, DEFINITIONS,
                                                   abandon_on_cancel=True)
            message = reply["message"]
            calls = message.get("tool_calls") or []
            if not calls:
                answer = message.get("content") or ""
                await anyio.to_thread.run_sync(self._remember_answer, run, answer, results)
                await self._emit(run, ev.COMPLETED, {"answer": answer, "usage": reply["usage"]})
                return
            messages.append({"role": "assistant", "content": message.get("content"), "tool_calls": calls})
            for call in calls:
                run.open_calls[call["id"]] = call["function"]["name"]
                await self._emit(run, ev.TOOL_EXECUTING, {"tool": call["function"]["name"],
                                                          "args": _arguments(call)}, call["id"])
            outcomes = await asyncio.gather(*(self._run_tool(run, call, tool_timeout) for call in calls))
            for call, outcome in zip(calls, outcomes):
                results.append({"tool": call["function"]["name"], **outcome})
                messages.append({"role": "tool", "tool_call_id": call["id"], "content": json.dumps(outcome)})
            await self._emit(run, ev.THINKING, {"text": "Reading what the tools found"})
        raise DomainError("the assistant did not reach an answer")

    async def _run_tool(self, run: Run, call: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Runs one tool within its time limit: past it, the wait stops here and PostgreSQL cancels the
        tool's statements (same limit), so a stopped tool leaves nothing half-written."""
        name, args = call["function"]["name"], _arguments(call)
        uow = functools.partial(self._uow, statement_timeout_ms=max(1, int(timeout * 1000)))
        try:
            result = await asyncio.wait_for(self._tool(uow, run.principal, name, args), timeout)
            outcome = {"status": "ok", "result": sanitise(result)}
        except TimeoutError:
            outcome = {"status": "timeout", "error": f"{name} took longer than {timeout:g} s and was stopped"}
        except OperationalError as exc:
            stopped = isinstance(exc.orig, QueryCanceled)
            outcome = ({"status": "timeout", "error": f"{name} took longer than {timeout:g} s and was stopped"}
                       if stopped else {"status": "error", "error": "the database is unavailable"})
        except DomainError as exc:
            outcome = {"status": "error", "error": sanitise(exc.message)}
        run.open_calls.pop(call["id"], None)
        await self._emit(run, ev.TOOL_COMPLETED, outcome, call["id"])
        return outcome

    async def _tool(self, uow: UnitOfWorkFactory, principal: Principal, name: str, args: dict[str, Any]
                    ) -> dict[str, Any]:
        if name == "research":  # several look-ups at once, each in its own thread
            topics = [t for t in args.get("topics", []) if t in RESEARCH_TOPICS] or list(RESEARCH_TOPICS)
            found = await asyncio.gather(*(self._tool(uow, principal, RESEARCH_TOPICS[t], {}) for t in topics))
            return {"summary": " | ".join(f["summary"] for f in found), "topics": dict(zip(topics, found))}
        if name not in LOOKUPS:
            raise DomainError(f"there is no tool called {name}")
        return await anyio.to_thread.run_sync(LOOKUPS[name], uow, principal, args, abandon_on_cancel=True)

    async def _close_open_calls(self, run: Run, status: str, reason: str) -> None:
        for call_id in list(run.open_calls):
            run.open_calls.pop(call_id)
            await self._emit(run, ev.TOOL_COMPLETED, {"status": status, "error": reason}, call_id)

    def _remember_question(self, run: Run) -> list[dict[str, Any]]:
        """Stores the question; returns the conversation so far as the model's context."""
        tenant_id, thread_id = run.principal.tenant_id, _uuid(run.events.thread_id)
        with self._uow() as u:
            earlier = u.assistant.messages(tenant_id, thread_id)
            u.assistant.add_message(tenant_id, thread_id, role="user", content=run.text, run_id=run.events.run_id)
        return ([{"role": "system", "content": SYSTEM_PROMPT}]
                + [{"role": m["role"], "content": m["content"]} for m in earlier]
                + [{"role": "user", "content": run.text}])

    def _remember_answer(self, run: Run, answer: str, results: list[dict[str, Any]]) -> None:
        with self._uow() as u:
            u.assistant.add_message(run.principal.tenant_id, _uuid(run.events.thread_id), role="assistant",
                                    content=answer, run_id=run.events.run_id, tool_results=results)


def _arguments(call: dict[str, Any]) -> dict[str, Any]:
    raw = call["function"].get("arguments") or "{}"
    try:
        parsed = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound("thread not found", field="thread_id") from None
