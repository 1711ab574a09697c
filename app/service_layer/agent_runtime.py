"""The assistant's agent loop: the model chooses tools, the platform runs them, every stage is an event.

A run is an asyncio task owned by the instance that accepted the question. Its
events go to its log in Redis (``EventStream``), never straight to a socket, so
a client can follow or resume it from any instance. Everything on the way of a
question is asynchronous (database through the asyncio engine, model over
httpx, Redis): a run waiting holds no thread.

Order is structural: a run appends one event at a time (``Run.appending``),
the seq is taken only once the log has the event, and the log itself refuses
an event out of its place; so tools finishing together can never swap seqs.

Admission: at most ``max_running`` runs work at once on an instance and
``max_waiting`` more wait for a turn (each already told it was accepted, and
shown ``agent_started``); past that the instance refuses at once with
``Busy``. A question that cannot even be stored within ``accept_within_s``
(a burst larger than the instance can take in) is refused with ``Busy`` too:
every question is answered, accepted or busy, within that time. While a run is here its lease
is renewed; if the instance dies the lease lapses and the run is ended for its
followers by another instance (``app.adapters.event_fanout``).
Cancelling the task (the user's cancel, from any instance) closes open tool
calls as ``cancelled`` and ends the run with ``agent_failed``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from app.adapters.event_fanout import EventFanOut
from app.adapters.event_stream import EventStream
from app.adapters.metrics import COUNTERS
from app.adapters.model_client import ModelClient
from app.adapters.rate_limiter import RunRateLimiter
from app.adapters.unit_of_work import AsyncUnitOfWork
from app.domain import assistant_events as ev
from app.domain.clock import utc_now
from app.domain.errors import DependencyUnavailable, DomainError, RuleViolation, TimedOut
from app.domain.sanitise import sanitise
from app.service_layer import assistant_threads as threads
from app.service_layer import assistant_tools as tools
from app.service_layer.assistant_tools import DEFINITIONS, LOOKUPS, RESEARCH_TOPICS, WRITES, ToolRefused
from app.service_layer.principal import Principal

log = logging.getLogger("app.assistant")
MAX_TURNS = 12  # model round trips for one question; the tool-call limit (8 by default) usually ends it first
CANCEL_TRIES, CANCEL_RETRY_SECONDS = 20, 0.05
SYSTEM_PROMPT = (
    "You are the company's business assistant. Use the tools to answer from the company's own "
    "data; quote figures exactly as the tools give them."
)


class RateLimited(RuleViolation):
    def __init__(self, per_minute: int) -> None:
        super().__init__("rate_limited", f"at most {per_minute} questions a minute; try again in a minute")


class Busy(DomainError):
    """This instance has as many runs as it can take; the client should try again shortly."""

    code = "busy"

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"the assistant is busy; try again in {retry_after_s} s")
        self.retry_after_s = retry_after_s


@dataclass
class Run:
    principal: Principal
    events: ev.RunEvents
    text: str
    history: list[dict[str, Any]]
    tool_timeout: float
    max_tool_calls: int = 8
    tool_calls: int = 0
    task: asyncio.Task | None = None
    open_calls: dict[str, str] = field(default_factory=dict)
    appending: asyncio.Lock = field(default_factory=asyncio.Lock)
    cancel_requested: bool = False
    ending: bool = False  # the run is writing its end: a cancel must not interrupt that


class AgentRuntime:
    def __init__(
        self,
        uow: AsyncUnitOfWork,
        model: ModelClient,
        stream: EventStream,
        fanout: EventFanOut,
        limiter: RunRateLimiter,
        *,
        max_running: int,
        max_waiting: int,
        lease_seconds: float,
        accept_within_s: float = 5.0,
        accepting_at_once: int = 16,
        max_tool_calls: int = 8,
        tool_calls_per_minute: int = 60,
    ) -> None:
        self._uow = uow
        self._max_tool_calls = max_tool_calls
        self._tool_calls_per_minute = tool_calls_per_minute
        self._model = model
        self._stream = stream
        self._fanout = fanout
        self._limiter = limiter
        self._max_running = max_running
        self._capacity = max_running + max_waiting
        self._slots: asyncio.Semaphore | None = None
        self._accept_within = accept_within_s
        self._accepting = asyncio.Semaphore(accepting_at_once)  # questions being stored at once
        self._lease = lease_seconds
        self._admitted = 0
        self._runs: dict[str, Run] = {}
        self._renewer: asyncio.Task | None = None
        self._draining = False
        fanout.on_cancel = self._cancel_here

    async def start_background(self) -> None:
        self._slots = asyncio.Semaphore(self._max_running)
        self._renewer = asyncio.create_task(self._renew_leases())

    @property
    def runs_here(self) -> int:
        return len(self._runs)

    async def start(self, principal: Principal, *, text: str, thread_id: str | None) -> tuple[str, str]:
        """Accepts a question: checks the thread, the rate limit and this instance's room; stores the
        question; starts the run (its ``agent_started`` is in the log when this returns).

        Returns (run_id, thread_id).
        Raises:
            Busy: the instance is full; nothing was stored.
            RateLimited, NotFound, RuleViolation: the question is refused; nothing was stored.
        """
        if self._admitted >= self._capacity or self._draining:  # stopping: ask another instance
            raise Busy(retry_after_s=1)
        self._admitted += 1
        try:
            run_id = uuid.uuid4().hex
            try:
                async with asyncio.timeout(self._accept_within), self._accepting:
                    thread, history, settings = await self._store_question(principal, text, thread_id, run_id)
            except TimeoutError:  # too much at once here: say so now rather than keep the asker waiting
                raise Busy(retry_after_s=1) from None
            run = Run(
                principal,
                ev.RunEvents(run_id=run_id, thread_id=thread),
                text,
                history,
                settings["assistant_tool_timeout_ms"] / 1000,
                max_tool_calls=self._max_tool_calls,
            )
            await self._emit(run, ev.STARTED, {"input": text}, opens=True)
        except BaseException:
            self._admitted -= 1
            raise
        self._runs[run_id] = run
        run.task = asyncio.create_task(self._execute(run))
        return run_id, thread

    async def _store_question(
        self, principal: Principal, text: str, thread_id: str | None, run_id: str
    ) -> tuple[str, list[dict[str, Any]], dict[str, Any]]:
        """Checks the thread and the rate limit and stores the question, in one transaction: a refused
        (or abandoned) question leaves nothing behind."""
        async with self._uow.transaction() as steps:
            settings = await steps.run(lambda uow: threads.settings_for_question(uow, principal, thread_id))
            if not await self._limiter.allow(
                principal.tenant_id, principal.user_id, settings["assistant_runs_per_minute"]
            ):
                raise RateLimited(settings["assistant_runs_per_minute"])
            thread, history = await steps.run(
                lambda uow: threads.store_question(uow, principal, text=text, thread_id=thread_id, run_id=run_id)
            )
        return thread, history, settings

    async def cancel(self, principal: Principal, run_id: str) -> bool:
        """Cancels a running run of this user, wherever it runs; False when there is none."""
        if self._cancel_here({"run_id": run_id, "user_id": str(principal.user_id)}):
            return True
        if await self._stream.owner(principal.tenant_id, run_id) != str(
            principal.user_id
        ) or not await self._stream.running(principal.tenant_id, run_id):
            return False
        await self._fanout.request_cancel({"run_id": run_id, "user_id": str(principal.user_id)})
        return True

    def _cancel_here(self, request: dict[str, Any]) -> bool:
        run = self._runs.get(str(request["run_id"]))
        if run is None or str(run.principal.user_id) != str(request["user_id"]) or run.task is None:
            return False
        run.cancel_requested = True
        self._deliver_cancel(run, CANCEL_TRIES)
        return True

    def _deliver_cancel(self, run: Run, tries: int) -> None:
        """Cancels the run's task, and again a little later until the run ends: a library awaited inside
        the run may swallow a cancellation (seen with redis-py's asyncio client on Python 3.11)."""
        if run.ending or run.task is None or run.task.done() or tries == 0:
            return
        run.task.cancel()
        asyncio.get_running_loop().call_later(CANCEL_RETRY_SECONDS, self._deliver_cancel, run, tries - 1)

    async def close(self, grace_seconds: float = 0.0) -> int:
        """Takes no more questions, lets the runs here end within ``grace_seconds`` (their leases still
        renewed, their events still appended), then stops. Returns how many runs had not ended; another
        instance ends those as ``instance_lost`` once their leases lapse."""
        self._draining = True
        running = [run.task for run in list(self._runs.values()) if run.task is not None]
        unfinished: set[asyncio.Task] = set()
        if running and grace_seconds > 0:
            _, unfinished = await asyncio.wait(running, timeout=grace_seconds)
        if self._renewer is not None:
            self._renewer.cancel()
        return len(unfinished) if running and grace_seconds > 0 else len(running)

    async def _emit(
        self, run: Run, kind: str, data: dict[str, Any], tool_call_id: str | None = None, *, opens: bool = False
    ) -> None:
        """Appends the run's next event; its seq counts as taken only once the log holds it.

        Raises CancelledError instead when the run was cancelled and is not yet ending (a cancellation
        swallowed on the way stops the run at its next stage at the latest).
        """
        if run.cancel_requested and not run.ending:
            raise asyncio.CancelledError
        async with run.appending:
            envelope = run.events.prepare(kind, data, utc_now(), tool_call_id=tool_call_id)
            await self._stream.append(
                run.principal.tenant_id,
                envelope,
                lease_seconds=self._lease,
                opened_by=run.principal.user_id if opens else None,
            )
            run.events.record(envelope)
        COUNTERS.add("platform_assistant_events_total")
        if kind in ev.TERMINAL:
            COUNTERS.add("platform_assistant_runs_total", ended="completed" if kind == ev.COMPLETED else "failed")

    async def _execute(self, run: Run) -> None:
        assert self._slots is not None, "start_background() was not called"
        try:
            async with self._slots:
                await self._loop(run)
        except asyncio.CancelledError:
            await self._end(
                run,
                "cancelled",
                "the user cancelled the run",
                {"code": "cancelled", "message": "the run was cancelled", "retryable": False},
            )
        except DependencyUnavailable as exc:
            await self._end(
                run,
                "error",
                exc.message,
                {"code": f"{exc.dependency}_unavailable", "message": exc.message, "retryable": True},
            )
        except DomainError as exc:  # a rule stopped the run (too many tool calls, no answer reached)
            await self._end(run, "error", exc.message, {"code": exc.code, "message": exc.message, "retryable": False})
        except Exception:  # the run must end with a terminal event whatever happened
            log.exception("assistant run %s failed", run.events.run_id)
            await self._end(
                run,
                "error",
                "internal error",
                {"code": "internal_error", "message": "the assistant failed", "retryable": True},
            )
        finally:
            self._admitted -= 1
            self._runs.pop(run.events.run_id, None)
            if not run.events.finished:  # the end could not be appended: let followers end the run
                with contextlib.suppress(Exception):
                    await self._stream.release(run.principal.tenant_id, run.events.run_id)

    async def _end(self, run: Run, status: str, reason: str, failure: dict[str, Any]) -> None:
        """Closes open tool calls with ``status`` and fails the run, unless it already ended."""
        run.ending = True
        try:
            for call_id in list(run.open_calls):
                run.open_calls.pop(call_id)
                await self._emit(run, ev.TOOL_COMPLETED, {"status": status, "error": reason}, call_id)
            if not run.events.finished:
                await self._emit(run, ev.FAILED, failure)
        except Exception:
            log.exception("assistant run %s could not be ended cleanly", run.events.run_id)

    async def _loop(self, run: Run) -> None:
        messages = [{"role": "system", "content": SYSTEM_PROMPT}, *run.history, {"role": "user", "content": run.text}]
        results: list[dict[str, Any]] = []
        await self._emit(run, ev.THINKING, {"text": "Reading the question"})
        for _turn in range(MAX_TURNS):
            reply = await self._model.complete(messages, DEFINITIONS, user=_end_user(run.principal))
            message = reply["message"]
            calls = message.get("tool_calls") or []
            if not calls:
                answer: str = message.get("content") or ""
                await self._uow(
                    functools.partial(
                        threads.store_answer,
                        principal=run.principal,
                        thread_id=run.events.thread_id,
                        run_id=run.events.run_id,
                        answer=answer,
                        tool_results=results,
                    ),
                    autocommit=True,
                )
                await self._emit(run, ev.COMPLETED, {"answer": answer, "usage": reply["usage"]})
                return
            run.tool_calls += len(calls)
            if run.tool_calls > run.max_tool_calls:
                raise ToolCallsExceeded(run.max_tool_calls)
            if not await self._limiter.allow_tool_calls(
                run.principal.tenant_id, run.principal.user_id, len(calls), self._tool_calls_per_minute
            ):
                raise ToolCallsRateLimited(self._tool_calls_per_minute)
            messages.append({"role": "assistant", "content": message.get("content"), "tool_calls": calls})
            for call in calls:
                run.open_calls[call["id"]] = call["function"]["name"]
                await self._emit(
                    run,
                    ev.TOOL_EXECUTING,
                    {"tool": str(call["function"]["name"])[:80], "args": _arguments(call) or {}},
                    call["id"],
                )
            outcomes = await asyncio.gather(*(self._run_tool(run, call) for call in calls))
            for call, outcome in zip(calls, outcomes, strict=False):
                results.append({"tool": call["function"]["name"], **outcome})
                messages.append({"role": "tool", "tool_call_id": call["id"], "content": json.dumps(outcome)})
            await self._emit(run, ev.THINKING, {"text": "Reading what the tools found"})
        raise RuleViolation("no_answer", "the assistant did not reach an answer; ask something narrower")

    async def _run_tool(self, run: Run, call: dict[str, Any]) -> dict[str, Any]:
        """Runs one tool within its time limit: past it, the wait stops here and PostgreSQL cancels the
        tool's statements (same limit), so a stopped tool leaves nothing half-written."""
        name, args, timeout = str(call["function"]["name"]), _arguments(call), run.tool_timeout
        try:
            tools.check_call(run.principal, name, args)
            async with asyncio.timeout(timeout):
                result = await self._tool(run.principal, name, args or {}, timeout)
            outcome = {"status": "ok", "result": sanitise(result)}
        except ToolRefused as refused:
            outcome = {"status": "error", "error": sanitise(refused.message), "refused": refused.field}
            await self._uow(
                functools.partial(tools.record_refusal, principal=run.principal, name=name, refusal=refused)
            )
        except (TimeoutError, TimedOut):
            outcome = {"status": "timeout", "error": f"{name} took longer than {timeout:g} s and was stopped"}
        except DomainError as exc:
            outcome = {"status": "error", "error": sanitise(exc.message)}
        run.open_calls.pop(call["id"], None)
        await self._emit(run, ev.TOOL_COMPLETED, outcome, call["id"])
        return outcome

    async def _tool(self, principal: Principal, name: str, args: dict[str, Any], timeout: float) -> dict[str, Any]:
        if name == "research":  # several look-ups at once, each in its own transaction
            topics = [t for t in args.get("topics", []) if t in RESEARCH_TOPICS] or list(RESEARCH_TOPICS)
            found = await asyncio.gather(*(self._tool(principal, RESEARCH_TOPICS[t], {}, timeout) for t in topics))
            return {
                "summary": " | ".join(f["summary"] for f in found),
                "topics": dict(zip(topics, found, strict=False)),
            }
        if name not in LOOKUPS:
            raise DomainError(f"there is no tool called {name}")
        return await self._uow(
            lambda uow: LOOKUPS[name](uow, principal, args),
            statement_timeout_ms=max(1, int(timeout * 1000)),
            autocommit=name not in WRITES,
        )

    async def _renew_leases(self) -> None:
        while True:
            await asyncio.sleep(self._lease / 3)
            if self._runs:
                try:
                    await self._stream.renew_leases(
                        [(r.principal.tenant_id, run_id) for run_id, r in list(self._runs.items())],
                        lease_seconds=self._lease,
                    )
                except Exception as exc:  # Redis away: the runs go on; a lapsed lease is taken as a death
                    log.warning("cannot renew run leases: %s", exc)


def _end_user(principal: Principal) -> str:
    """The asker as the model service sees them: an opaque hash (OpenAI's ``user`` field)."""
    return hashlib.sha256(f"{principal.tenant_id}:{principal.user_id}".encode()).hexdigest()[:32]


def _arguments(call: dict[str, Any]) -> dict[str, Any] | None:
    """The call's arguments as the model wrote them; None when they are not a JSON object."""
    raw = call["function"].get("arguments") or "{}"
    try:
        parsed = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


class ToolCallsRateLimited(DomainError):
    code = "tool_calls_rate_limited"

    def __init__(self, per_minute: int) -> None:
        super().__init__(f"you have used your {per_minute} assistant look-ups for this minute; ask again in a minute")


class ToolCallsExceeded(DomainError):
    code = "too_many_tool_calls"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the assistant asked for more than {limit} look-ups for one question and was stopped; ask something narrower"
        )
