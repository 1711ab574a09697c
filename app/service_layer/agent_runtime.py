"""The assistant's agent loop: the model chooses tools, the platform runs them, every stage is an event.

A run is an asyncio task owned by the instance that accepted the question. Its
events go to its log in Redis (``EventStream``), never straight to a socket, so
a client can follow or resume it from any instance. Everything on the way of a
question is asynchronous (database through the asyncio engine, the model
through its asynchronous client, Redis): a run waiting holds no thread.

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

Whatever the model asks for is read by ``app.domain.tool_calls`` (run or
refused, never a crash), and every tool call ends with its own outcome: a
failing sibling, a time-out or a cancel never reports a call other than as it
went. The one write decides its time limit inside its transaction and is never
abandoned mid-commit, so what it reports is what happened. The asker's session
is checked again in each tool's transaction and before the answer is stored: a
run whose asker signed out (or was removed, or whose token expired) writes
nothing more and ends ``session_ended``; a role taken away refuses the tools it
covered from that moment.

What a run used is recorded for the analytics (``app.service_layer.assistant_threads``):
the question when it is stored, the answer (tool calls, tokens summed over the
run's model requests, time from ``agent_started`` to the answer) in the
answer's transaction, a failure before it is told.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.adapters.credentials import TokenSigner
from app.adapters.event_fanout import EventFanOut
from app.adapters.event_stream import EventStream
from app.adapters.metrics import COUNTERS
from app.adapters.model_client import ModelClient
from app.adapters.rate_limiter import RunRateLimiter
from app.adapters.unit_of_work import AsyncUnitOfWork
from app.domain import assistant_events as ev
from app.domain.clock import utc_now
from app.domain.conversation_memory import Memory
from app.domain.errors import DependencyUnavailable, DomainError, RuleViolation, TimedOut, Unauthenticated
from app.domain.records import SettingsRecord
from app.domain.sanitise import sanitise
from app.domain.text_rules import readable
from app.domain.tool_calls import ToolCall, ToolRefused, definitions, read_calls
from app.service_layer import assistant_threads as threads
from app.service_layer import assistant_tools as tools
from app.service_layer import tenancy
from app.service_layer.principal import Principal, Session

log = logging.getLogger("app.assistant")
MAX_TURNS = 12  # model round trips for one question; the tool-call limit (8 by default) usually ends it first
CANCEL_TRIES, CANCEL_RETRY_SECONDS = 20, 0.05
STORING_FIRST_SECONDS = 1.0  # how long a run about to start lets the questions being accepted be stored first
RECORD_FAILURE_SECONDS = 2.0  # how long a run's end waits to record its failure before telling it anyway
ANSWER_CHARACTERS = 20_000
DEFINITIONS = definitions()
SYSTEM_PROMPT = (
    "You are the company's business assistant. Use the tools to answer from the company's own "
    "data; quote figures exactly as the tools give them."
)


class RateLimited(RuleViolation):
    def __init__(self, per_minute: int) -> None:
        super().__init__("rate_limited", f"at most {per_minute} questions a minute; try again in a minute")


class SessionEnded(DomainError):
    """The asker's session ended while their run went on: it writes nothing more."""

    code = "session_ended"


class Busy(DomainError):
    """This instance has as many runs as it can take; the client should try again shortly."""

    code = "busy"

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"the assistant is busy; try again in {retry_after_s} s")
        self.retry_after_s = retry_after_s


@dataclass
class Run:
    principal: Principal
    token: str
    events: ev.RunEvents
    text: str
    history: list[dict[str, Any]]
    tool_timeout: float
    max_tool_calls: int
    tool_calls: int = 0  # tool calls the model asked for
    results: list[dict[str, Any]] = field(default_factory=list)  # each call run: its tool and its outcome
    task: asyncio.Task[None] | None = None
    open_calls: dict[str, str] = field(default_factory=dict)
    appending: asyncio.Lock = field(default_factory=asyncio.Lock)
    cancel_requested: bool = False
    ending: bool = False  # the run is writing its end: a cancel must not interrupt that
    settling: dict[str, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)  # writes under way
    session_ended: str | None = None  # why the asker's session ended, once a tool found it ended
    started_at: datetime | None = None  # when agent_started was appended
    usage: dict[str, int] = field(default_factory=dict)  # the tokens the model reported, summed over the run


class AgentRuntime:
    def __init__(
        self,
        uow: AsyncUnitOfWork,
        model: ModelClient,
        stream: EventStream,
        fanout: EventFanOut,
        limiter: RunRateLimiter,
        signer: TokenSigner,
        *,
        max_running: int,
        max_waiting: int,
        lease_seconds: float,
        accept_within_s: float,
        max_tool_calls: int,
        tool_calls_per_minute: int,
        memory: Memory,
        runs_at_once_per_person: int,
        accepting_at_once: int = 16,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._uow = uow
        self._monotonic = monotonic  # times a write against its limit
        self._signer = signer
        self._max_tool_calls = max_tool_calls
        self._tool_calls_per_minute = tool_calls_per_minute
        self._memory = memory  # how much of a conversation the model is given with a new question
        self._model = model
        self._stream = stream
        self._fanout = fanout
        self._limiter = limiter
        self._max_running = max_running
        self._capacity = max_running + max_waiting
        self._slots: asyncio.Semaphore | None = None
        self._per_person = runs_at_once_per_person
        # each person's turns among their own runs here, and how many of their runs hold or wait for one
        self._turns: dict[tuple[uuid.UUID, uuid.UUID], asyncio.Semaphore] = {}
        self._runs_of: Counter[tuple[uuid.UUID, uuid.UUID]] = Counter()
        self._accept_within = accept_within_s
        self._accepting = asyncio.Semaphore(accepting_at_once)  # questions being stored at once
        self._storing = 0  # questions being accepted here now (waiting to be stored, or being stored)
        self._stored_all = asyncio.Event()  # set while no question is being accepted
        self._stored_all.set()
        self._lease = lease_seconds
        self._admitted = 0
        self._runs: dict[str, Run] = {}
        self._renewer: asyncio.Task[None] | None = None
        self._draining = False
        fanout.on_cancel = self._cancel_here

    def limit_tool_calls(self, *, per_run: int, per_minute: int) -> None:
        """New look-up limits from the next question on (a settings reload): per question, per person a minute."""
        self._max_tool_calls = per_run
        self._tool_calls_per_minute = per_minute

    async def start_background(self) -> None:
        self._slots = asyncio.Semaphore(self._max_running)
        self._renewer = asyncio.create_task(self._renew_leases())

    @property
    def runs_here(self) -> int:
        return len(self._runs)

    async def start(self, session: Session, *, text: str, thread_id: str | None) -> tuple[str, str]:
        """Accepts a question: checks the session (as it is now), the thread, the rate limit and this
        instance's room; stores the question; starts the run (its ``agent_started`` is in the log when this
        returns).

        Returns (run_id, thread_id).
        Raises:
            Busy: the instance is full; nothing was stored.
            Unauthenticated: the session has ended; nothing was stored.
            RateLimited, NotFound, RuleViolation: the question is refused; nothing was stored.
        """
        if self._admitted >= self._capacity or self._draining:  # stopping: ask another instance
            raise Busy(retry_after_s=1)
        self._admitted += 1
        try:
            run_id = uuid.uuid4().hex
            self._storing += 1
            self._stored_all.clear()
            try:
                async with asyncio.timeout(self._accept_within), self._accepting:
                    principal, thread, history, settings = await self._store_question(
                        session.token, text, thread_id, run_id
                    )
            except TimeoutError:  # too much at once here: say so now rather than keep the asker waiting
                raise Busy(retry_after_s=1) from None
            finally:
                self._storing -= 1
                if not self._storing:
                    self._stored_all.set()
            run = Run(
                principal,
                session.token,
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
        await asyncio.sleep(0)  # the run's first step, so a cancel that comes at once finds it ready to end
        return run_id, thread

    async def _store_question(
        self, token: str, text: str, thread_id: str | None, run_id: str
    ) -> tuple[Principal, str, list[dict[str, Any]], SettingsRecord]:
        """Checks the session, the thread and the rate limit and stores the question, in one transaction:
        a refused (or abandoned) question leaves nothing behind."""
        company = tenancy.company_of(self._signer, token)  # chosen as the transaction opens: no statement of its own
        async with self._uow.transaction(company=company) as steps:
            principal = await steps.run(lambda uow: tenancy.authenticate(uow, self._signer, token))
            settings = await steps.run(lambda uow: threads.settings_for_question(uow, principal, thread_id))
            if not await self._limiter.allow(
                principal.company_id, principal.user_id, settings["assistant_runs_per_minute"]
            ):
                raise RateLimited(settings["assistant_runs_per_minute"])
            thread, history = await steps.run(
                lambda uow: threads.store_question(
                    uow, principal, text=text, thread_id=thread_id, run_id=run_id, memory=self._memory
                )
            )
        return principal, thread, history, settings

    async def cancel(self, principal: Principal, run_id: str) -> bool:
        """Cancels a running run of this user, wherever it runs; False when there is none."""
        if self._cancel_here({"run_id": run_id, "user_id": str(principal.user_id)}):
            return True
        if await self._stream.owner(principal.company_id, run_id) != str(
            principal.user_id
        ) or not await self._stream.running(principal.company_id, run_id):
            return False
        await self._fanout.request_cancel({"run_id": run_id, "user_id": str(principal.user_id)})
        return True

    def _cancel_here(self, request: dict[str, Any]) -> bool:
        run = self._runs.get(str(request["run_id"]))
        if run is None or str(run.principal.user_id) != str(request["user_id"]) or run.task is None:
            return False
        run.cancel_requested = True
        self._deliver_cancel(run, run.task, CANCEL_TRIES)
        return True

    def _deliver_cancel(self, run: Run, task: asyncio.Task[None], tries: int) -> None:
        """Cancels the run's task, and again a little later until the run ends: a library awaited inside
        the run may swallow a cancellation (seen with redis-py's asyncio client on Python 3.11)."""
        if run.ending or task.done() or tries == 0:
            return
        task.cancel()
        asyncio.get_running_loop().call_later(CANCEL_RETRY_SECONDS, self._deliver_cancel, run, task, tries - 1)

    async def close(self, grace_seconds: float) -> int:
        """Takes no more questions, lets the runs here end within ``grace_seconds`` (their leases still
        renewed, their events still appended), then stops. Returns how many runs had not ended; another
        instance ends those as ``instance_lost`` once their leases lapse."""
        self._draining = True
        running = [run.task for run in list(self._runs.values()) if run.task is not None]
        unfinished: set[asyncio.Task[None]] = set(running)
        if running:  # asyncio.wait refuses nothing to wait for; a grace of 0 s waits for nothing
            _, unfinished = await asyncio.wait(running, timeout=grace_seconds)
        if self._renewer is not None:
            self._renewer.cancel()
        return len(unfinished)

    async def _emit(
        self, run: Run, kind: str, data: dict[str, Any], tool_call_id: str | None = None, *, opens: bool = False
    ) -> None:
        """Appends the run's next event (``_emit_all`` of one)."""
        await self._emit_all(run, [(kind, data, tool_call_id)], opens=opens)

    async def _emit_all(
        self, run: Run, events: list[tuple[str, dict[str, Any], str | None]], *, opens: bool = False
    ) -> None:
        """Appends the run's next events (kind, data, tool call id) in one step; their seqs count as taken only
        once the log holds them.

        Raises CancelledError instead when the run was cancelled and is not yet ending (a cancellation
        swallowed on the way stops the run at its next stage at the latest).
        """
        if run.cancel_requested and not run.ending:
            raise asyncio.CancelledError
        async with run.appending:
            at = utc_now()
            envelopes = run.events.prepare_all(events, at)
            await self._stream.append_all(
                run.principal.company_id,
                envelopes,
                lease_seconds=self._lease,
                opened_by=run.principal.user_id if opens else None,
            )
            for envelope in envelopes:
                run.events.record(envelope)
            if opens:
                run.started_at = at
        COUNTERS.add("platform_assistant_events_total", len(envelopes))
        if envelopes[-1]["type"] in ev.TERMINAL:
            ended = "completed" if envelopes[-1]["type"] == ev.COMPLETED else "failed"
            COUNTERS.add("platform_assistant_runs_total", ended=ended)

    async def _execute(self, run: Run) -> None:
        assert self._slots is not None, "start_background() was not called"
        try:
            async with self._persons_turn(run.principal), self._slots:
                await self._after_questions_stored()
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
                    await self._stream.release(run.principal.company_id, run.events.run_id)

    @contextlib.asynccontextmanager
    async def _persons_turn(self, principal: Principal) -> AsyncIterator[None]:
        """A turn among the person's own runs: at most ``runs_at_once_per_person`` of them are worked on here at
        once; the others wait for one of those to end, holding none of the instance's places meanwhile, so one
        person's many questions never keep everyone else's waiting."""
        person = (principal.company_id, principal.user_id)
        turn = self._turns.setdefault(person, asyncio.Semaphore(self._per_person))
        self._runs_of[person] += 1
        try:
            async with turn:
                yield
        finally:
            self._runs_of[person] -= 1
            if not self._runs_of[person]:
                del self._runs_of[person], self._turns[person]

    async def _after_questions_stored(self) -> None:
        """Lets the questions being accepted here be stored first (for at most ``STORING_FIRST_SECONDS``): in a
        burst, every asker is told at once that their question is taken, rather than some told busy while runs
        already taken hold the instance."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stored_all.wait(), STORING_FIRST_SECONDS)

    async def _end(self, run: Run, status: str, reason: str, failure: dict[str, Any]) -> None:
        """Closes open tool calls with ``status`` (a write under way with what it did, once it has settled)
        and fails the run, unless it already ended (telling the tokens the run used, as an answer does)."""
        run.ending = True
        try:
            for call_id in list(run.open_calls):
                settling = run.settling.get(call_id)
                outcome = await settling if settling is not None else {"status": status, "error": reason}
                tool = run.open_calls.pop(call_id, None)
                if tool is not None:
                    run.results.append({"tool": tool, **outcome})
                    await self._emit(run, ev.TOOL_COMPLETED, outcome, call_id)
            if not run.events.finished:
                await self._record_failure(run, failure["code"])
                await self._emit(run, ev.FAILED, {**failure, "usage": dict(run.usage)})
        except Exception:
            log.exception("assistant run %s could not be ended cleanly", run.events.run_id)

    async def _record_failure(self, run: Run, code: str) -> None:
        """Records the run's failure for the analytics before the asker hears of it; with the database away
        (or slow past RECORD_FAILURE_SECONDS) the failure is told without being recorded."""
        try:
            async with asyncio.timeout(RECORD_FAILURE_SECONDS):
                await self._uow(
                    functools.partial(
                        threads.record_failure,
                        principal=run.principal,
                        run_id=run.events.run_id,
                        code=code,
                        tool_results=run.results,
                        tokens=_tokens(run.usage),
                    )
                )
        except Exception as exc:  # the database is away: the run still ends, and the asker is told
            log.warning("assistant run %s: its failure was not recorded (%s)", run.events.run_id, exc)

    async def _loop(self, run: Run) -> None:
        messages = [{"role": "system", "content": SYSTEM_PROMPT}, *run.history, {"role": "user", "content": run.text}]
        results = run.results
        await self._emit(run, ev.THINKING, {"text": "Reading the question"})
        for _turn in range(MAX_TURNS):
            reply = await self._model.complete(messages, DEFINITIONS, user=_end_user(run.principal))
            for key, tokens in _usage(reply.get("usage")).items():
                run.usage[key] = run.usage.get(key, 0) + tokens
            message = reply["message"] if isinstance(reply["message"], dict) else {}
            asked = message.get("tool_calls")
            if not asked:
                await self._answer(run, message, results)
                return
            run.tool_calls += len(asked) if isinstance(asked, list) else 1
            if run.tool_calls > run.max_tool_calls:
                raise ToolCallsExceeded(run.max_tool_calls)
            calls = read_calls(asked, _new_call_id)
            if not await self._limiter.allow_tool_calls(
                run.principal.company_id, run.principal.user_id, len(calls), self._tool_calls_per_minute
            ):
                raise ToolCallsRateLimited(self._tool_calls_per_minute)
            messages.append(
                {
                    "role": "assistant",
                    "content": _text_of(message.get("content")),
                    "tool_calls": [
                        {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": json.dumps(c.echo)}}
                        for c in calls
                    ],
                }
            )
            await self._emit_all(run, [(ev.TOOL_EXECUTING, {"tool": c.name, "args": c.echo}, c.id) for c in calls])
            run.open_calls.update((call.id, call.name) for call in calls)  # open once the log says they started
            for call, outcome in await asyncio.gather(*(self._ran(run, call) for call in calls)):
                results.append({"tool": call.name, **outcome})
                messages.append({"role": "tool", "tool_call_id": call.id, "content": json.dumps(outcome)})
            if run.session_ended is not None:
                raise SessionEnded(run.session_ended)
            await self._emit(run, ev.THINKING, {"text": "Reading what the tools found"})
        raise RuleViolation("no_answer", "the assistant did not reach an answer; ask something narrower")

    async def _answer(self, run: Run, message: dict[str, Any], results: list[dict[str, Any]]) -> None:
        """Stores the model's answer, if the asker's session still holds, and ends the run with it (its usage:
        the tokens of every model request of the run)."""
        answer = _text_of(message.get("content"))
        tokens = _tokens(run.usage)
        answer_ms = _milliseconds((utc_now() - (run.started_at or utc_now())).total_seconds())

        def store(uow: Any) -> None:
            tenancy.authenticate(uow, self._signer, run.token)
            threads.store_answer(
                uow,
                principal=run.principal,
                thread_id=run.events.thread_id,
                run_id=run.events.run_id,
                answer=answer,
                tool_results=results,
                tokens=tokens,
                answer_ms=answer_ms,
            )

        try:
            await self._uow(store)
        except Unauthenticated as ended:
            raise SessionEnded(ended.message) from None
        await self._emit(run, ev.COMPLETED, {"answer": answer, "usage": dict(run.usage)})

    async def _ran(self, run: Run, call: ToolCall) -> tuple[ToolCall, dict[str, Any]]:
        """The call, with what it did (``_run_tool``)."""
        return call, await self._run_tool(run, call)

    async def _run_tool(self, run: Run, call: ToolCall) -> dict[str, Any]:
        """Runs one call and reports it (``tool_completed``); never raises but CancelledError.

        A write runs on apart from the run's task: a cancel stops waiting for it, and the run's end
        reports it as it settled.
        """
        if call.writes:
            settling = run.settling[call.id] = asyncio.ensure_future(self._outcome(run, call))
            outcome = await asyncio.shield(settling)
        else:
            outcome = await self._outcome(run, call)
        tool = run.open_calls.pop(call.id, None)
        if tool is not None:
            try:
                await self._emit(run, ev.TOOL_COMPLETED, outcome, call.id)
            except Exception:  # the result could not be told: the call stays open, for the run's end to close
                run.open_calls[call.id] = tool
                raise
        return outcome

    async def _outcome(self, run: Run, call: ToolCall) -> dict[str, Any]:
        """What one call did: ok with its result, or refused, timed out or failed with why."""
        timeout = run.tool_timeout
        try:
            if call.refusal is not None:
                raise call.refusal
            if call.writes:
                result = await self._write(run, call)
            else:
                async with asyncio.timeout(timeout):
                    result = await self._read(run, call)
            return {"status": "ok", "result": sanitise(result)}
        except ToolRefused as refused:
            await self._record_refusal(run, call, refused)
            return {"status": "error", "error": sanitise(refused.message), "refused": refused.field}
        except Unauthenticated as ended:
            run.session_ended = ended.message
            await self._record_refusal(
                run, call, ToolRefused(f"the session has ended: {ended.message}", field="session")
            )
            return {"status": "error", "error": f"the session has ended: {ended.message}", "refused": "session"}
        except (TimeoutError, TimedOut):
            return {"status": "timeout", "error": f"{call.name} took longer than {timeout:g} s and was stopped"}
        except DomainError as exc:
            return {"status": "error", "error": sanitise(exc.message)}
        except asyncio.CancelledError:
            raise
        except Exception:  # a tool's own failure ends that call, never its siblings or the run
            log.exception("assistant tool %s failed in run %s", call.name, run.events.run_id)
            return {"status": "error", "error": f"{call.name} failed inside the platform"}

    async def _record_refusal(self, run: Run, call: ToolCall, refusal: DomainError) -> None:
        await self._uow(functools.partial(tools.record_refusal, principal=run.principal, call=call, refusal=refusal))

    async def _write(self, run: Run, call: ToolCall) -> dict[str, Any]:
        """The write, with its time limit decided inside its transaction: PostgreSQL stops a statement past
        it, and the transaction checks the clock once more before it commits. The await is never abandoned,
        so a write that commits is reported done, whatever the time."""
        deadline = self._monotonic() + run.tool_timeout

        def write(uow: Any) -> dict[str, Any]:
            result = tools.run_call(uow, self._signer, run.token, call)
            if self._monotonic() > deadline:  # one that ends at its limit ends within it
                raise TimedOut(f"{call.name} ran past its time limit; nothing was written")
            return result

        return await self._uow(write, statement_timeout_ms=_milliseconds(run.tool_timeout))

    async def _read(self, run: Run, call: ToolCall) -> dict[str, Any]:
        """A look-up; research runs its topics' look-ups at once, each in its own statements."""
        timeout_ms = _milliseconds(run.tool_timeout)

        async def look_up(tool: str | None = None) -> dict[str, Any]:
            """The call's own tool (None), or one of research's."""
            return await self._uow(
                functools.partial(tools.run_call, signer=self._signer, token=run.token, call=call, tool=tool),
                statement_timeout_ms=timeout_ms,
                autocommit=True,
            )

        async def researched(topic: str, tool: str) -> tuple[str, dict[str, Any]]:
            return topic, await look_up(tool)

        if call.name != "research":
            return await look_up()
        found = await asyncio.gather(*(researched(topic, tool) for topic, tool in call.research))
        return {"summary": " | ".join(result["summary"] for _, result in found), "topics": dict(found)}

    async def _renew_leases(self) -> None:
        while True:
            await asyncio.sleep(self._lease / 3)
            if self._runs:
                try:
                    await self._stream.renew_leases(
                        [(r.principal.company_id, run_id) for run_id, r in list(self._runs.items())],
                        lease_seconds=self._lease,
                    )
                except Exception as exc:  # Redis away: the runs go on; a lapsed lease is taken as a death
                    log.warning("cannot renew run leases: %s", exc)


def _end_user(principal: Principal) -> str:
    """The asker as the model service sees them: an opaque hash (OpenAI's ``user`` field)."""
    return hashlib.sha256(f"{principal.company_id}:{principal.user_id}".encode()).hexdigest()[:32]


def _new_call_id() -> str:
    return f"call_{uuid.uuid4().hex[:24]}"


def _milliseconds(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def _text_of(content: object) -> str:
    """The model's text, readable and bounded: a string, or the text parts of a list of content parts."""
    if isinstance(content, list):
        content = "".join(p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return readable(content[:ANSWER_CHARACTERS]) if isinstance(content, str) else ""


def _tokens(usage: dict[str, int]) -> int:
    """The tokens a run used: the total the model reported, or its prompt and completion added."""
    return usage.get("total_tokens", usage.get("prompt_tokens", 0) + usage.get("completion_tokens", 0))


def _usage(usage: object) -> dict[str, int]:
    """The token counts the model reported, whole numbers only (anything else it sent is dropped)."""
    if not isinstance(usage, dict):
        return {}
    return {
        key: value
        for key in ("prompt_tokens", "completion_tokens", "total_tokens")
        if isinstance(value := usage.get(key), int) and not isinstance(value, bool) and 0 <= value < 10**12
    }


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
