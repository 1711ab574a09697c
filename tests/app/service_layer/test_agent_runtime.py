"""The agent runtime: a run's events in seq order whatever finishes at once inside it, and each tool call
reported as it went (a failing sibling, a cancel in the middle of a write)."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import Counter
from typing import Any

import pytest

from app.adapters.metrics import COUNTERS
from app.domain.conversation_memory import Memory
from app.domain.errors import DependencyUnavailable, NotFound, Unauthenticated
from app.domain.roles import Role
from app.service_layer import agent_runtime
from app.service_layer.agent_runtime import AgentRuntime
from app.service_layer.principal import Principal, Session
from support.areas.assistant.event_contract import broken_rules
from support.defects.event_defects import run_appends_unserialised


class SlowFirstAppendLog:
    """Keeps events in the order they reach the log; the first tool result takes a while to get there."""

    def __init__(self) -> None:
        self.stored: list[dict[str, Any]] = []
        self.slowed = False

    async def append(self, company_id: Any, event: dict[str, Any], **_: Any) -> bool:
        if event["type"] == "tool_completed" and not self.slowed:
            self.slowed = True
            await asyncio.sleep(0.05)
        self.stored.append(event)
        return True

    async def append_all(self, company_id: Any, events: list[dict[str, Any]], **options: Any) -> bool:
        for event in events:
            await self.append(company_id, event, **options)
        return True

    async def release(self, *_: Any) -> None:
        pass


class TwoToolModel:
    """Asks for two tools at once, then answers."""

    def __init__(self, tools: tuple[str, ...] = ("open_pipeline_summary", "revenue_by_month")) -> None:
        self.calls = 0
        self.tools = tools

    async def complete(self, messages: list[dict], tools: list[dict], *, user: str | None = None) -> dict[str, Any]:
        self.calls += 1
        if self.calls == 1:
            return {
                "message": {
                    "content": None,
                    "tool_calls": [
                        {"id": f"call_{name}", "function": {"name": name, "arguments": "{}"}} for name in self.tools
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


PRINCIPAL = Principal(user_id=uuid.uuid4(), company_id=uuid.uuid4(), role=Role.OWNER)


@pytest.fixture
def runtime(monkeypatch) -> tuple[AgentRuntime, SlowFirstAppendLog]:
    monkeypatch.setattr(
        agent_runtime.threads,
        "settings_for_question",
        lambda uow, principal, thread_id: {"assistant_runs_per_minute": 30, "assistant_tool_timeout_ms": 5000},
    )
    monkeypatch.setattr(agent_runtime.threads, "store_question", lambda uow, principal, **_: ("thread-1", []))
    monkeypatch.setattr(agent_runtime.threads, "store_answer", lambda uow, principal, **_: None)
    monkeypatch.setattr(agent_runtime.tenancy, "authenticate", lambda uow, signer, token, **_: PRINCIPAL)
    monkeypatch.setattr(agent_runtime.tenancy, "company_of", lambda signer, token: PRINCIPAL.company_id)
    monkeypatch.setattr(
        agent_runtime.tools, "run_call", lambda uow, signer, token, call, tool=None: {"summary": call.name}
    )
    monkeypatch.setattr(agent_runtime.tools, "record_refusal", lambda uow, **_: None)
    log = SlowFirstAppendLog()
    return AgentRuntime(
        InlineUnitOfWork(),
        TwoToolModel(),
        log,
        NoFanOut(),
        AlwaysAllowed(),
        None,
        max_running=4,
        max_waiting=4,
        lease_seconds=10,
        accept_within_s=5.0,
        max_tool_calls=8,
        tool_calls_per_minute=60,
        memory=Memory(messages=40, characters=200_000),
        runs_at_once_per_person=4,
    ), log


async def _one_run(runtime: AgentRuntime) -> None:
    await runtime.start_background()
    _run_id, _ = await runtime.start(Session("token", PRINCIPAL), text="two things at once", thread_id=None)
    while runtime.runs_here:
        await asyncio.sleep(0.01)
    await runtime.close(0.0)


def test_two_tools_finishing_together_reach_the_log_in_seq_order(runtime):
    engine, log = runtime
    asyncio.run(_one_run(engine))
    assert [e["seq"] for e in log.stored] == list(range(8))
    assert broken_rules(log.stored) == []


def test_the_order_check_catches_appends_that_are_not_serialised(runtime):
    """The same run with the lock left out (a planted defect): the second result overtakes the first."""
    engine, log = runtime
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(AgentRuntime, "_emit_all", AgentRuntime._emit_all)
        run_appends_unserialised()
        asyncio.run(_one_run(engine))
    assert [e["seq"] for e in log.stored] != list(range(8))


@pytest.mark.parametrize(
    ("failure", "said"),
    [
        (RuntimeError("a bug in one tool"), "revenue_by_month failed inside the platform"),
        (NotFound("no revenue is recorded for that month"), "no revenue is recorded for that month"),
    ],
)
def test_a_tool_that_fails_or_is_refused_by_a_rule_ends_only_its_own_call_saying_why(
    runtime, monkeypatch, failure, said
):
    """A batch with a failing sibling (a bug of its own, or a rule of the domain refusing it: a record not found):
    each call reports its own outcome, the failed one saying why in the result the model reads next (a rule's
    reason as the rule said it, a bug as a failure inside the platform), and the run still answers."""
    engine, log = runtime

    def run_call(uow, signer, token, call, tool=None):
        if call.name == "revenue_by_month":
            raise failure
        return {"summary": call.name}

    monkeypatch.setattr(agent_runtime.tools, "run_call", run_call)
    asyncio.run(_one_run(engine))
    completed = {e["tool_call_id"]: e["data"] for e in log.stored if e["type"] == "tool_completed"}
    assert {call: data["status"] for call, data in completed.items()} == {
        "call_open_pipeline_summary": "ok",
        "call_revenue_by_month": "error",
    }
    assert completed["call_revenue_by_month"]["error"] == said
    assert log.stored[-1]["type"] == "agent_completed"
    assert broken_rules(log.stored) == []


def test_a_write_under_way_when_the_run_is_cancelled_is_reported_as_it_settled(runtime, monkeypatch):
    """The cancel stops the run, not the write: the write commits and its call is reported done."""
    engine, log = runtime
    written: list[str] = []
    engine._model = TwoToolModel(("create_follow_up_task",))

    def run_call(uow, signer, token, call, tool=None):
        written.append(call.name)
        return {"summary": "written"}

    monkeypatch.setattr(agent_runtime.tools, "run_call", run_call)
    monkeypatch.setattr(agent_runtime, "read_calls", _as_valid_follow_up)
    engine._uow = SlowWrite()

    _cancel_mid_write(engine, log)
    completed = [e["data"] for e in log.stored if e["type"] == "tool_completed"]
    assert written == ["create_follow_up_task"]
    assert [c["status"] for c in completed] == ["ok"]
    assert log.stored[-1]["data"]["code"] == "cancelled"
    assert broken_rules(log.stored) == []


class SlowWrite(InlineUnitOfWork):
    """Each piece of work takes 0.2 s: long enough to cancel a run in the middle of its write."""

    def __init__(self) -> None:
        self.begun = 0

    async def __call__(self, work, **_: Any):
        self.begun += 1
        await asyncio.sleep(0.2)
        return work(None)


def _cancel_mid_write(engine: AgentRuntime, log: SlowFirstAppendLog) -> None:
    """Asks a question, cancels its run once its write has begun, and waits for the run's end."""

    async def cancel_mid_write() -> None:
        await engine.start_background()
        run_id, _ = await engine.start(Session("token", PRINCIPAL), text="write", thread_id=None)
        while not (any(e["type"] == "tool_executing" for e in log.stored) and engine._uow.begun):
            await asyncio.sleep(0.01)
        assert await engine.cancel(PRINCIPAL, run_id)
        while engine.runs_here:
            await asyncio.sleep(0.01)
        await engine.close(0.0)

    asyncio.run(cancel_mid_write())


def _as_valid_follow_up(raw: Any, new_id: Any) -> list[Any]:
    from app.domain.tool_calls import read_calls

    return read_calls(
        [{"id": "call_w", "function": {"name": "create_follow_up_task", "arguments": '{"title": "t", "client": "c"}'}}],
        new_id,
    )


class CountingModel(TwoToolModel):
    """Asks for two tools, then answers; each reply reports its tokens (15, then 23)."""

    USAGE = (
        {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        {"prompt_tokens": 20, "completion_tokens": 3, "total_tokens": 23},
    )

    async def complete(self, messages: list[dict], tools: list[dict], *, user: str | None = None) -> dict[str, Any]:
        reply = await super().complete(messages, tools, user=user)
        return {**reply, "usage": self.USAGE[min(self.calls, 2) - 1]}


class NeverAnsweringModel(TwoToolModel):
    """Asks for two tools on every turn, reporting 7 tokens each time: the tool-call limit ends the run."""

    async def complete(self, messages: list[dict], tools: list[dict], *, user: str | None = None) -> dict[str, Any]:
        self.calls = 0
        reply = await super().complete(messages, tools, user=user)
        return {**reply, "usage": {"total_tokens": 7}}


def test_an_answer_tells_and_records_the_tokens_of_every_model_request_and_its_tool_calls(runtime, monkeypatch):
    engine, log = runtime
    engine._model = CountingModel()
    stored: list[dict[str, Any]] = []
    monkeypatch.setattr(agent_runtime.threads, "store_answer", lambda uow, principal, **kw: stored.append(kw))
    asyncio.run(_one_run(engine))
    told = log.stored[-1]
    assert told["type"] == "agent_completed"
    assert told["data"]["usage"] == {"prompt_tokens": 30, "completion_tokens": 8, "total_tokens": 38}
    assert [(s["tokens"], len(s["tool_results"])) for s in stored] == [(38, 2)]
    started, ended = log.stored[0]["ts"], told["ts"]
    assert 1 <= stored[0]["answer_ms"] <= _ms_between(started, ended)


def test_tokens_are_prompt_and_completion_added_when_the_model_reports_no_total():
    assert agent_runtime._tokens({"prompt_tokens": 12, "completion_tokens": 4}) == 16
    assert agent_runtime._tokens({"prompt_tokens": 12, "completion_tokens": 4, "total_tokens": 17}) == 17
    assert agent_runtime._tokens({}) == 0


def test_a_failed_run_is_recorded_before_it_is_told_with_the_calls_it_ran_and_its_tokens(runtime, monkeypatch):
    engine, log = runtime
    engine._model = NeverAnsweringModel()
    recorded: list[tuple[int, dict[str, Any]]] = []
    monkeypatch.setattr(
        agent_runtime.threads, "record_failure", lambda uow, principal, **kw: recorded.append((len(log.stored), kw))
    )
    asyncio.run(_one_run(engine))
    told = log.stored[-1]
    assert (told["type"], told["data"]["code"], told["data"]["usage"]) == (
        "agent_failed",
        "too_many_tool_calls",
        {"total_tokens": 35},
    )
    executed = sum(1 for e in log.stored if e["type"] == "tool_executing")
    assert executed == 8
    [(events_then, kw)] = recorded
    assert events_then == len(log.stored) - 1, "recorded before agent_failed was appended"
    assert (kw["code"], kw["tokens"], kw["run_id"]) == ("too_many_tool_calls", 35, told["run_id"])
    assert [(r["tool"], r["status"]) for r in kw["tool_results"]] == [
        ("open_pipeline_summary", "ok"),
        ("revenue_by_month", "ok"),
    ] * 4, "each call the run ran, with how it ended"


def test_a_failure_that_cannot_be_recorded_is_still_told(runtime, monkeypatch):
    engine, log = runtime
    engine._model = NeverAnsweringModel()

    def database_away(uow, principal, **_: Any) -> None:
        raise ConnectionError("the database is away")

    monkeypatch.setattr(agent_runtime.threads, "record_failure", database_away)
    asyncio.run(_one_run(engine))
    assert (log.stored[-1]["type"], log.stored[-1]["data"]["code"]) == ("agent_failed", "too_many_tool_calls")
    assert broken_rules(log.stored) == []


def test_a_failure_record_that_hangs_is_given_up_after_two_seconds(runtime, monkeypatch):
    engine, log = runtime
    engine._model = NeverAnsweringModel()

    class HangingRecord(InlineUnitOfWork):
        async def __call__(self, work, **_: Any):
            if getattr(work, "func", None) is agent_runtime.threads.record_failure:
                await asyncio.sleep(60)
            return work(None)

    assert agent_runtime.RECORD_FAILURE_SECONDS == 2.0  # the documented wait; shortened here
    monkeypatch.setattr(agent_runtime, "RECORD_FAILURE_SECONDS", 0.1)
    engine._uow = HangingRecord()
    started = time.monotonic()
    asyncio.run(_one_run(engine))
    assert log.stored[-1]["type"] == "agent_failed"
    assert time.monotonic() - started < 5, "the run ended without waiting for the record"


def _ms_between(first: str, last: str) -> float:
    from datetime import datetime

    return (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds() * 1000


def test_a_call_still_running_when_the_run_is_cancelled_is_recorded_as_it_settled(runtime, monkeypatch):
    """The cancelled run's failure record holds the write it ran, reported as it settled."""
    engine, log = runtime
    engine._model = TwoToolModel(("create_follow_up_task",))
    recorded: list[dict[str, Any]] = []

    monkeypatch.setattr(agent_runtime.tools, "run_call", lambda uow, signer, token, call, tool=None: {"summary": "ok"})
    monkeypatch.setattr(agent_runtime, "read_calls", _as_valid_follow_up)
    monkeypatch.setattr(agent_runtime.threads, "record_failure", lambda uow, principal, **kw: recorded.append(kw))
    engine._uow = SlowWrite()

    _cancel_mid_write(engine, log)
    [failure] = recorded
    assert failure["code"] == "cancelled"
    assert [(r["tool"], r["status"]) for r in failure["tool_results"]] == [("create_follow_up_task", "ok")]


def test_the_tokens_reported_are_kept_when_whole_and_below_a_trillion():
    usage = {"prompt_tokens": 0, "completion_tokens": 10**12 - 1, "total_tokens": 10**12}
    assert agent_runtime._usage(usage) == {"prompt_tokens": 0, "completion_tokens": 10**12 - 1}
    assert agent_runtime._usage({"prompt_tokens": -1, "completion_tokens": True, "total_tokens": 1.5}) == {}
    assert agent_runtime._usage(["not", "a", "dict"]) == {}


class ModelAway(TwoToolModel):
    async def complete(self, messages: list[dict], tools: list[dict], *, user: str | None = None) -> dict[str, Any]:
        raise DependencyUnavailable("model", "the language model is unavailable; try again shortly")


def test_a_run_the_model_cannot_answer_fails_saying_asking_again_may_work(runtime):
    engine, log = runtime
    engine._model = ModelAway()
    asyncio.run(_one_run(engine))
    assert log.stored[-1]["data"] | {"usage": {}} == {
        "code": "model_unavailable",
        "message": "the language model is unavailable; try again shortly",
        "retryable": True,
        "usage": {},
    }


class ToolCallsNotAList(TwoToolModel):
    """Asks for tool calls in a shape that is not a list, turn after turn."""

    async def complete(self, messages: list[dict], tools: list[dict], *, user: str | None = None) -> dict[str, Any]:
        self.calls += 1
        return {"message": {"content": None, "tool_calls": {"id": "c", "function": {"name": "x"}}}, "usage": {}}


def test_tool_calls_asked_in_a_shape_that_is_not_a_list_count_one_a_turn_towards_the_limit(runtime):
    engine, log = runtime
    engine._model = model = ToolCallsNotAList()
    asyncio.run(_one_run(engine))
    assert (model.calls, log.stored[-1]["data"]["code"]) == (9, "too_many_tool_calls")
    assert log.stored[-1]["data"]["retryable"] is False, "a rule that stopped the run stops it again if asked again"


def test_an_instance_takes_as_many_questions_as_it_may_run_and_keep_waiting_and_no_more(runtime):
    engine, log = runtime
    engine._capacity = 1
    engine._model = TwoToolModel()

    async def two_at_once() -> str:
        await engine.start_background()
        await engine.start(Session("token", PRINCIPAL), text="first", thread_id=None)
        try:
            await engine.start(Session("token", PRINCIPAL), text="second", thread_id=None)
            return "taken"
        except agent_runtime.Busy:
            return "busy"
        finally:
            while engine.runs_here:
                await asyncio.sleep(0.01)
            await engine.close(0.0)

    assert asyncio.run(two_at_once()) == "busy"
    assert sum(1 for e in log.stored if e["type"] == "agent_started") == 1


def test_each_run_that_ends_is_counted_by_how_it_ended(runtime):
    engine, _log = runtime
    key = ("platform_assistant_runs_total", (("ended", "completed"),))
    failed = ("platform_assistant_runs_total", (("ended", "failed"),))
    before = (COUNTERS._counts[key], COUNTERS._counts[failed])
    asyncio.run(_one_run(engine))
    assert (COUNTERS._counts[key], COUNTERS._counts[failed]) == (before[0] + 1, before[1])


def test_seconds_are_told_to_the_database_as_whole_milliseconds_and_at_least_one():
    assert [agent_runtime._milliseconds(s) for s in (0.3, 1.5, 20.0, 0.0, 0.0004)] == [300, 1500, 20000, 1, 1]


class SwallowsCancels:
    """A run's task that swallows every cancellation (as a library awaited inside it may)."""

    def __init__(self) -> None:
        self.cancels = 0

    def cancel(self) -> None:
        self.cancels += 1

    def done(self) -> bool:
        return False


def test_a_cancel_is_delivered_again_every_twentieth_of_a_second_twenty_times_in_all(runtime):
    engine, _log = runtime
    task = SwallowsCancels()
    run = agent_runtime.Run(PRINCIPAL, "token", None, "q", [], 1.0, 8)  # type: ignore[arg-type]
    run.task = task  # type: ignore[assignment]

    async def deliver() -> int:
        engine._deliver_cancel(run, task, agent_runtime.CANCEL_TRIES)
        await asyncio.sleep(0.5)
        halfway = task.cancels
        await asyncio.sleep(0.8)  # 20 tries 0.05 s apart take 0.95 s
        return halfway

    halfway = asyncio.run(deliver())
    assert 5 <= halfway <= 15, f"{halfway} cancels delivered in the first half second, not one every 0.05 s"
    assert task.cancels == 20


class CountingRelease(SlowFirstAppendLog):
    def __init__(self) -> None:
        super().__init__()
        self.released = 0

    async def release(self, *_: Any) -> None:
        self.released += 1


def test_a_run_that_ended_does_not_hand_its_end_to_followers(runtime):
    engine, _log = runtime
    engine._stream = log = CountingRelease()
    asyncio.run(_one_run(engine))
    assert (log.stored[-1]["type"], log.released) == ("agent_completed", 0)


class EndCannotBeAppended(CountingRelease):
    async def append(self, company_id: Any, event: dict[str, Any], **kwargs: Any) -> bool:
        if event["type"] in ("agent_completed", "agent_failed"):
            raise ConnectionError("Redis is away")
        return await super().append(company_id, event, **kwargs)


def test_a_run_whose_end_cannot_be_appended_hands_it_to_followers(runtime):
    engine, _log = runtime
    engine._stream = log = EndCannotBeAppended()
    asyncio.run(_one_run(engine))
    assert log.released == 1


class AlwaysOneMoreLookUp(TwoToolModel):
    """Asks for one look-up on every turn and never answers."""

    async def complete(self, messages: list[dict], tools: list[dict], *, user: str | None = None) -> dict[str, Any]:
        self.calls += 1
        call = {"id": f"call_{self.calls}", "function": {"name": "open_pipeline_summary", "arguments": "{}"}}
        return {"message": {"content": None, "tool_calls": [call]}, "usage": {}}


def test_a_question_gets_twelve_round_trips_to_the_model_and_no_more(runtime):
    engine, log = runtime
    engine._model = model = AlwaysOneMoreLookUp()
    engine._max_tool_calls = 100
    asyncio.run(_one_run(engine))
    assert (model.calls, log.stored[-1]["data"]["code"]) == (12, "no_answer")


def test_a_write_is_given_the_companys_tool_time_limit_to_the_millisecond(runtime, monkeypatch):
    engine, _log = runtime
    engine._model = TwoToolModel(("create_follow_up_task",))
    limits: list[int | None] = []

    class Limits(InlineUnitOfWork):
        async def __call__(self, work, *, statement_timeout_ms: int | None = None, **_: Any):
            limits.append(statement_timeout_ms)
            return work(None)

    monkeypatch.setattr(agent_runtime, "read_calls", _as_valid_follow_up)
    engine._uow = Limits()
    asyncio.run(_one_run(engine))
    assert 5000 in limits  # the company's assistant_tool_timeout_ms, as the fixture's settings give it


@pytest.mark.parametrize(("taking", "told"), [(5.0, "ok"), (5.001, "timeout")])
def test_a_write_that_ends_at_its_time_limit_ends_within_it(runtime, monkeypatch, taking, told):
    """The company's limit is 5 s (the fixture's settings): a write that takes exactly that is done in time."""
    engine, log = runtime
    engine._model = TwoToolModel(("create_follow_up_task",))
    now = [100.0]
    engine._monotonic = lambda: now[0]

    def run_call(uow, signer, token, call, tool=None):
        now[0] += taking
        return {"summary": "written"}

    monkeypatch.setattr(agent_runtime.tools, "run_call", run_call)
    monkeypatch.setattr(agent_runtime, "read_calls", _as_valid_follow_up)
    asyncio.run(_one_run(engine))
    assert [e["data"]["status"] for e in log.stored if e["type"] == "tool_completed"] == [told]


def test_a_tool_call_id_is_call_and_24_hex_digits():
    call_id = agent_runtime._new_call_id()
    assert call_id.startswith("call_") and len(call_id) == 29 and int(call_id[5:], 16) >= 0


def test_an_instance_that_is_closing_takes_no_more_questions(runtime):
    engine, _log = runtime

    async def ask_after_close() -> str:
        await engine.start_background()
        await engine.close(0.0)
        try:
            await engine.start(Session("token", PRINCIPAL), text="late", thread_id=None)
            return "taken"
        except agent_runtime.Busy:
            return "busy"

    assert asyncio.run(ask_after_close()) == "busy"


def test_an_answer_is_kept_to_its_first_20000_characters():
    assert agent_runtime._text_of("x" * 20_001) == "x" * 20_000
    assert agent_runtime._text_of("y" * 20_000) == "y" * 20_000


class BrokenModel(TwoToolModel):
    async def complete(self, messages: list[dict], tools: list[dict], *, user: str | None = None) -> dict[str, Any]:
        raise RuntimeError("a bug in the model's client")


def test_a_run_that_fails_unexpectedly_still_ends_saying_the_assistant_failed(runtime):
    engine, log = runtime
    engine._model = BrokenModel()
    asyncio.run(_one_run(engine))
    assert (log.stored[-1]["type"], log.stored[-1]["data"]["code"], log.stored[-1]["data"]["retryable"]) == (
        "agent_failed",
        "internal_error",
        True,
    )


@pytest.mark.parametrize("grace", [0.5, 5])
def test_closing_with_time_to_spare_counts_the_runs_that_ended_in_it_as_ended(runtime, grace):
    engine, _log = runtime

    async def close_while_one_runs() -> int:
        await engine.start_background()
        await engine.start(Session("token", PRINCIPAL), text="quick", thread_id=None)
        return await engine.close(grace_seconds=grace)

    assert asyncio.run(close_while_one_runs()) == 0


class HeldStore(InlineUnitOfWork):
    """Stores questions only once let go, counting how many are being stored at once."""

    def __init__(self) -> None:
        self.storing = 0
        self.most_at_once = 0
        self.let_go = asyncio.Event()

    @contextlib.asynccontextmanager
    async def transaction(self, **options: Any):
        self.storing += 1
        self.most_at_once = max(self.most_at_once, self.storing)
        try:
            await self.let_go.wait()
            async with super().transaction(**options) as steps:
                yield steps
        finally:
            self.storing -= 1


def test_an_instance_stores_sixteen_questions_at_once_and_the_rest_wait_their_turn(runtime):
    engine, _log = runtime
    engine._capacity = 40
    store = engine._uow = HeldStore()

    async def seventeen_at_once() -> int:
        await engine.start_background()
        asking = [
            asyncio.create_task(engine.start(Session("token", PRINCIPAL), text=f"q{i}", thread_id=None))
            for i in range(17)
        ]
        deadline = time.monotonic() + 2
        while store.storing < 16 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)  # time for a seventeenth to come in, if it may
        most = store.most_at_once
        store.let_go.set()
        await asyncio.gather(*asking)
        while engine.runs_here:
            await asyncio.sleep(0.01)
        await engine.close(0.0)
        return most

    assert asyncio.run(seventeen_at_once()) == 16


def _told_to_come_back_in(engine: AgentRuntime) -> int:
    """The seconds a question is told to wait when the instance cannot take it (-1: it was taken)."""

    async def ask() -> int:
        await engine.start_background()
        try:
            await engine.start(Session("token", PRINCIPAL), text="one too many", thread_id=None)
        except agent_runtime.Busy as busy:
            return busy.retry_after_s
        finally:
            await engine.close(0.0)
        return -1

    return asyncio.run(ask())


def test_a_question_that_cannot_be_stored_in_time_is_told_to_come_back_in_a_second(runtime):
    engine, log = runtime
    engine._accept_within = 0.05
    engine._uow = HeldStore()
    assert _told_to_come_back_in(engine) == 1
    assert log.stored == []


def test_a_full_instance_tells_the_asker_to_come_back_in_a_second(runtime):
    engine, _log = runtime
    engine._capacity = 0
    assert _told_to_come_back_in(engine) == 1


class RunElsewhere:
    """The log of a run running on another instance, asked by OWNER."""

    OWNER = uuid.uuid4()

    async def owner(self, company_id: Any, run_id: str) -> str:
        return str(self.OWNER)

    async def running(self, company_id: Any, run_id: str) -> bool:
        return True


class CancelRequests(NoFanOut):
    def __init__(self) -> None:
        self.requested: list[dict[str, Any]] = []

    async def request_cancel(self, request: dict[str, Any]) -> None:
        self.requested.append(request)


def test_a_run_on_another_instance_is_cancelled_for_its_owner_and_for_nobody_else(runtime):
    engine, _log = runtime
    engine._stream = RunElsewhere()
    fanout = engine._fanout = CancelRequests()
    owner = Principal(user_id=RunElsewhere.OWNER, company_id=PRINCIPAL.company_id, role=Role.SALES)
    colleague = Principal(user_id=uuid.uuid4(), company_id=PRINCIPAL.company_id, role=Role.SALES)

    assert asyncio.run(engine.cancel(colleague, "run-1")) is False
    assert fanout.requested == []
    assert asyncio.run(engine.cancel(owner, "run-1")) is True
    assert fanout.requested == [{"run_id": "run-1", "user_id": str(RunElsewhere.OWNER)}]


class Renewals:
    def __init__(self) -> None:
        self.renewed: list[tuple[list[Any], float]] = []

    async def renew_leases(self, runs: list[Any], *, lease_seconds: float) -> None:
        self.renewed.append((runs, lease_seconds))


class ThreeWaits:
    """asyncio for the runtime's lease renewer: each wait recorded and skipped, the fourth cancelled."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        if len(self.waits) > 3:
            raise asyncio.CancelledError

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)


def test_the_leases_of_the_runs_here_are_renewed_every_third_of_a_lease(runtime, monkeypatch):
    engine, _log = runtime
    renewals = engine._stream = Renewals()
    clock = ThreeWaits()
    monkeypatch.setattr(agent_runtime, "asyncio", clock)
    engine._runs = {"run-1": agent_runtime.Run(PRINCIPAL, "token", None, "q", [], 5.0, 8)}  # type: ignore[arg-type]

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(engine._renew_leases())
    assert clock.waits == [10 / 3] * 4
    assert renewals.renewed == [([(PRINCIPAL.company_id, "run-1")], 10)] * 3


def test_no_lease_is_renewed_while_no_run_is_here(runtime, monkeypatch):
    engine, _log = runtime
    renewals = engine._stream = Renewals()
    monkeypatch.setattr(agent_runtime, "asyncio", ThreeWaits())

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(engine._renew_leases())
    assert renewals.renewed == []


def test_closing_stops_renewing_leases(runtime):
    engine, _log = runtime

    async def close() -> bool:
        await engine.start_background()
        await engine.close(0.0)
        await asyncio.sleep(0)
        return engine._renewer is not None and engine._renewer.cancelled()

    assert asyncio.run(close()) is True


class NeverEnds(TwoToolModel):
    """Never answers; ``asked`` is set once a run is waiting for it."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = asyncio.Event()

    async def complete(self, messages: list[dict], tools: list[dict], *, user: str | None = None) -> dict[str, Any]:
        self.asked.set()
        await asyncio.Event().wait()
        return {}


async def _asking(engine: AgentRuntime, text: str, token: str = "token") -> str:
    """What became of one question: taken, told the instance is busy, or refused for its session."""
    try:
        await engine.start(Session(token, PRINCIPAL), text=text, thread_id=None)
        return "taken"
    except agent_runtime.Busy:
        return "busy"
    except Unauthenticated:
        return "refused"


async def _stop_runs_and_close(engine: AgentRuntime) -> None:
    """Cancels the runs still going (a model that never answers) and closes the instance."""
    for run in list(engine._runs.values()):
        if run.task is not None:
            run.task.cancel()
    await engine.close(0.0)


def _closing_while_a_run_never_ends(engine: AgentRuntime, **grace: float) -> tuple[int, float]:
    """How many runs closing counts as not ended, and how long it took, while one run waits for ever."""
    engine._model = NeverEnds()

    async def close_while_one_runs() -> tuple[int, float]:
        await engine.start_background()
        await engine.start(Session("token", PRINCIPAL), text="endless", thread_id=None)
        began = time.monotonic()
        unfinished = await engine.close(**grace)
        took = time.monotonic() - began
        for run in list(engine._runs.values()):
            if run.task is not None:
                run.task.cancel()
        return unfinished, took

    return asyncio.run(close_while_one_runs())


def test_closing_without_a_grace_stops_at_once_counting_the_runs_still_going(runtime):
    engine, _log = runtime
    unfinished, took = _closing_while_a_run_never_ends(engine, grace_seconds=0.0)
    assert unfinished == 1
    assert took < 0.5, f"closing without a grace waited {took:.2f} s"


def test_closing_with_a_grace_and_no_run_here_stops_at_once(runtime):
    engine, _log = runtime

    async def close_idle() -> int:
        await engine.start_background()
        return await engine.close(grace_seconds=1)

    assert asyncio.run(close_idle()) == 0


class AskedBy(SlowFirstAppendLog):
    """The log of runs PRINCIPAL asked, still running."""

    async def owner(self, company_id: Any, run_id: str) -> str:
        return str(PRINCIPAL.user_id)

    async def running(self, company_id: Any, run_id: str) -> bool:
        return True


def test_a_colleague_cannot_cancel_a_run_here_and_the_owner_can(runtime):
    engine, _log = runtime
    engine._model = NeverEnds()
    log = engine._stream = AskedBy()
    colleague = Principal(user_id=uuid.uuid4(), company_id=PRINCIPAL.company_id, role=Role.OWNER)

    async def cancel_both() -> tuple[bool, bool, bool]:
        await engine.start_background()
        run_id, _ = await engine.start(Session("token", PRINCIPAL), text="endless", thread_id=None)
        by_colleague = await engine.cancel(colleague, run_id)
        await asyncio.wait_for(engine._model.asked.wait(), 2)
        still_running = engine.runs_here == 1
        by_owner = await engine.cancel(PRINCIPAL, run_id)
        deadline = time.monotonic() + 2
        while engine.runs_here and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await engine.close(0.0)
        return by_colleague, still_running, by_owner

    assert asyncio.run(cancel_both()) == (False, True, True)
    assert (log.stored[-1]["type"], log.stored[-1]["data"]["code"]) == ("agent_failed", "cancelled")


def test_a_cancel_swallowed_by_the_run_still_stops_its_next_event(runtime):
    engine, log = runtime
    run = agent_runtime.Run(PRINCIPAL, "token", None, "q", [], 1.0, 8)  # type: ignore[arg-type]
    run.task = SwallowsCancels()  # type: ignore[assignment]
    engine._runs["run-1"] = run

    async def cancel_then_emit() -> None:
        assert engine._cancel_here({"run_id": "run-1", "user_id": str(PRINCIPAL.user_id)})
        await engine._emit(run, "agent_thinking", {})

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(cancel_then_emit())
    assert log.stored == []


class ReaderNamed(SlowFirstAppendLog):
    def __init__(self) -> None:
        super().__init__()
        self.readers: list[Any] = []

    async def append(self, company_id: Any, event: dict[str, Any], **options: Any) -> bool:
        self.readers.append(options.get("opened_by"))
        return await super().append(company_id, event)


def test_the_first_event_of_a_run_names_its_asker_as_its_reader_and_no_other_does(runtime):
    engine, _log = runtime
    log = engine._stream = ReaderNamed()
    asyncio.run(_one_run(engine))
    assert log.readers[0] == PRINCIPAL.user_id
    assert set(log.readers[1:]) == {None}


def test_a_run_that_ended_gives_back_its_one_place_and_no_more(runtime):
    engine, _log = runtime
    engine._capacity = 1

    async def one_then_two() -> str:
        await engine.start_background()
        await engine.start(Session("token", PRINCIPAL), text="first", thread_id=None)
        while engine.runs_here:
            await asyncio.sleep(0.01)
        engine._model = NeverEnds()
        await engine.start(Session("token", PRINCIPAL), text="second", thread_id=None)
        outcome = await _asking(engine, "third")
        await _stop_runs_and_close(engine)
        return outcome

    assert asyncio.run(one_then_two()) == "busy"


class SlowModel(TwoToolModel):
    """Takes 40 ms a reply: a question's two round trips take at least 80 ms."""

    async def complete(self, messages: list[dict], tools: list[dict], *, user: str | None = None) -> dict[str, Any]:
        await asyncio.sleep(0.04)
        return await super().complete(messages, tools, user=user)


def test_the_time_to_answer_recorded_runs_from_the_question_to_the_answer(runtime, monkeypatch):
    engine, log = runtime
    engine._model = SlowModel()
    stored: list[dict[str, Any]] = []
    monkeypatch.setattr(agent_runtime.threads, "store_answer", lambda uow, principal, **kw: stored.append(kw))
    asyncio.run(_one_run(engine))
    assert 80 <= stored[0]["answer_ms"] <= _ms_between(log.stored[0]["ts"], log.stored[-1]["ts"])


class RedisAwayOnce(Renewals):
    async def renew_leases(self, runs: list[Any], *, lease_seconds: float) -> None:
        await super().renew_leases(runs, lease_seconds=lease_seconds)
        if len(self.renewed) == 1:
            raise ConnectionError("Redis is away")


def test_a_renewal_that_fails_does_not_stop_the_next_ones(runtime, monkeypatch):
    engine, _log = runtime
    renewals = engine._stream = RedisAwayOnce()
    monkeypatch.setattr(agent_runtime, "asyncio", ThreeWaits())
    engine._runs = {"run-1": agent_runtime.Run(PRINCIPAL, "token", None, "q", [], 5.0, 8)}  # type: ignore[arg-type]

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(engine._renew_leases())
    assert len(renewals.renewed) == 3


def test_an_instance_for_two_takes_two_questions_and_no_third(runtime):
    engine, _log = runtime
    engine._capacity = 2
    engine._model = NeverEnds()

    async def three() -> list[str]:
        await engine.start_background()
        outcomes = [await _asking(engine, text) for text in ("first", "second", "third")]
        await _stop_runs_and_close(engine)
        return outcomes

    assert asyncio.run(three()) == ["taken", "taken", "busy"]


def test_a_session_that_ends_before_the_answer_is_stored_ends_the_run_saying_so(runtime, monkeypatch):
    engine, log = runtime
    asked = []

    def authenticate(uow, signer, token, **_):
        asked.append(token)
        if len(asked) > 1:
            raise Unauthenticated("the session was signed out")
        return PRINCIPAL

    monkeypatch.setattr(agent_runtime.tenancy, "authenticate", authenticate)
    asyncio.run(_one_run(engine))
    assert (log.stored[-1]["type"], log.stored[-1]["data"]["code"]) == ("agent_failed", "session_ended")


def test_a_cancelled_run_is_not_said_to_be_worth_asking_again(runtime):
    engine, log = runtime
    engine._model = NeverEnds()

    async def cancel() -> None:
        await engine.start_background()
        run_id, _ = await engine.start(Session("token", PRINCIPAL), text="endless", thread_id=None)
        await asyncio.wait_for(engine._model.asked.wait(), 2)
        await engine.cancel(PRINCIPAL, run_id)
        deadline = time.monotonic() + 2
        while engine.runs_here and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await engine.close(0.0)

    asyncio.run(cancel())
    assert (log.stored[-1]["data"]["code"], log.stored[-1]["data"]["retryable"]) == ("cancelled", False)


def test_a_run_cancelled_the_moment_it_is_accepted_still_ends_and_gives_its_place_back(runtime):
    engine, log = runtime
    engine._model = NeverEnds()
    engine._capacity = 1

    async def cancel_at_once() -> tuple[int, str]:
        await engine.start_background()
        run_id, _ = await engine.start(Session("token", PRINCIPAL), text="never mind", thread_id=None)
        await engine.cancel(PRINCIPAL, run_id)
        deadline = time.monotonic() + 2
        while engine.runs_here and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        left = engine.runs_here
        next_one = await _asking(engine, "next")
        await _stop_runs_and_close(engine)
        return left, next_one

    assert asyncio.run(cancel_at_once()) == (0, "taken")
    ends = [e for e in log.stored if e["type"] == "agent_failed"]
    assert [e["data"]["code"] for e in ends][:1] == ["cancelled"]


def test_a_refused_question_gives_its_place_back_and_no_more(runtime, monkeypatch):
    engine, _log = runtime
    engine._capacity = 1
    engine._model = NeverEnds()
    asked = []

    def authenticate(uow, signer, token, **_):
        asked.append(token)
        if token == "signed-out":
            raise Unauthenticated("the session was signed out")
        return PRINCIPAL

    monkeypatch.setattr(agent_runtime.tenancy, "authenticate", authenticate)

    async def refused_then_two() -> list[str]:
        await engine.start_background()
        outcomes = [await _asking(engine, "q", token) for token in ("signed-out", "token", "token")]
        await _stop_runs_and_close(engine)
        return outcomes

    assert asyncio.run(refused_then_two()) == ["refused", "taken", "busy"]


def test_an_answer_in_parts_keeps_the_text_parts_and_passes_over_the_rest():
    parts = [{"type": "text", "text": "Two "}, {"type": "image"}, {"text": 5}, "stray", {"text": "invoices"}]
    assert agent_runtime._text_of(parts) == "Two invoices"


def test_a_run_whose_end_cannot_be_appended_still_ends_its_task_cleanly(runtime):
    engine, _log = runtime
    engine._stream = EndCannotBeAppended()

    async def run_once() -> BaseException | None:
        await engine.start_background()
        run_id, _ = await engine.start(Session("token", PRINCIPAL), text="q", thread_id=None)
        task = engine._runs[run_id].task
        assert task is not None
        await asyncio.wait({task}, timeout=2)
        await engine.close(0.0)
        return task.exception()

    assert asyncio.run(run_once()) is None


def test_closing_with_a_short_grace_counts_a_run_still_going_after_it(runtime):
    engine, _log = runtime
    unfinished, took = _closing_while_a_run_never_ends(engine, grace_seconds=0.5)
    assert unfinished == 1
    assert 0.4 <= took < 1.5, f"closing with half a second's grace took {took:.2f} s"


def test_a_run_lets_the_questions_being_accepted_be_stored_before_it_starts(runtime):
    """In a burst every asker is told their question is taken before runs already taken hold the instance."""
    engine, log = runtime
    store = engine._store_question

    async def slow_second(token: str, text: str, thread_id: Any, run_id: str) -> Any:
        if text == "second":
            await asyncio.sleep(0.2)  # still being stored when the first question's run could start
        return await store(token, text, thread_id, run_id)

    engine._store_question = slow_second

    async def both() -> None:
        await engine.start_background()
        await asyncio.gather(
            engine.start(Session("token", PRINCIPAL), text="first", thread_id=None),
            engine.start(Session("token", PRINCIPAL), text="second", thread_id=None),
        )
        while engine.runs_here:
            await asyncio.sleep(0.01)
        await engine.close(0.0)

    asyncio.run(both())
    kinds = [e["type"] for e in log.stored]
    assert kinds.index("agent_thinking") > [i for i, kind in enumerate(kinds) if kind == "agent_started"][1], kinds


def test_a_run_waits_for_questions_being_stored_a_second_at_most(runtime):
    engine, log = runtime
    engine._storing, engine._stored_all = 1, asyncio.Event()  # a question that is never stored

    async def one() -> float:
        began = time.monotonic()
        await _one_run(engine)
        return time.monotonic() - began

    took = asyncio.run(one())
    assert agent_runtime.STORING_FIRST_SECONDS <= took < agent_runtime.STORING_FIRST_SECONDS + 0.5
    assert log.stored[-1]["type"] == "agent_completed"


class FirstResultLostLog(SlowFirstAppendLog):
    """The first tool result cannot be stored: an unexpected failure of the log while that call is open."""

    async def append(self, company_id: Any, event: dict[str, Any], **options: Any) -> bool:
        if event["type"] == "tool_completed" and not self.slowed:
            self.slowed = True
            raise RuntimeError("a bug in the event log")
        return await super().append(company_id, event, **options)


def test_an_unexpected_failure_with_a_tool_call_open_closes_the_call_as_an_error_saying_why(runtime):
    engine, _log = runtime
    engine._stream = log = FirstResultLostLog()
    engine._model = TwoToolModel(("open_pipeline_summary",))
    asyncio.run(_one_run(engine))
    completed = [e["data"] for e in log.stored if e["type"] == "tool_completed"]
    assert completed == [{"status": "error", "error": "internal error"}]
    assert (log.stored[-1]["type"], log.stored[-1]["data"]["code"]) == ("agent_failed", "internal_error")
    assert broken_rules(log.stored) == []


class FirstQuestionHeld(InlineUnitOfWork):
    """Holds the first question being stored until let go; stores the others at once."""

    def __init__(self) -> None:
        self.opened = 0
        self.let_go = asyncio.Event()

    @contextlib.asynccontextmanager
    async def transaction(self, **options: Any):
        self.opened += 1
        if self.opened == 1:
            await self.let_go.wait()
        async with super().transaction(**options) as steps:
            yield steps


def test_a_run_lets_the_questions_being_stored_go_first_for_one_second_and_no_longer(runtime):
    engine, log = runtime
    store = engine._uow = FirstQuestionHeld()
    engine._accept_within = 5.0

    async def second_run_works_after() -> float:
        await engine.start_background()
        held = asyncio.create_task(engine.start(Session("token", PRINCIPAL), text="held", thread_id=None))
        while not store.opened:
            await asyncio.sleep(0.01)
        asked = time.monotonic()
        await engine.start(Session("token", PRINCIPAL), text="stored at once", thread_id=None)
        while not [event for event in log.stored if event["type"] != "agent_started"]:  # its work begun
            await asyncio.sleep(0.01)
        waited = time.monotonic() - asked
        store.let_go.set()
        await held
        while engine.runs_here:
            await asyncio.sleep(0.01)
        await engine.close(0.0)
        return waited

    assert 0.9 <= asyncio.run(second_run_works_after()) < 1.8  # STORING_FIRST_SECONDS, with room for a busy machine


class CountingAppends(SlowFirstAppendLog):
    def __init__(self) -> None:
        super().__init__()
        self.appends: list[list[str]] = []

    async def append_all(self, company_id: Any, events: list[dict[str, Any]], **options: Any) -> bool:
        self.appends.append([e["type"] for e in events])
        return await super().append_all(company_id, events, **options)


def test_a_turns_tool_calls_start_in_one_append_and_every_other_event_in_its_own(runtime):
    engine, _log = runtime
    engine._stream = log = CountingAppends()
    asyncio.run(_one_run(engine))
    assert log.appends == [
        ["agent_started"],
        ["agent_thinking"],
        ["tool_executing", "tool_executing"],
        ["tool_completed"],
        ["tool_completed"],
        ["agent_thinking"],
        ["agent_completed"],
    ]
    assert [e["seq"] for e in log.stored] == list(range(8))


class AskedByWhom(TwoToolModel):
    """Never answers; counts the model requests waiting, by the end user each names."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting: Counter[str | None] = Counter()

    async def complete(self, messages: list[dict], tools: list[dict], *, user: str | None = None) -> dict[str, Any]:
        self.waiting[user] += 1
        await asyncio.Event().wait()
        return {}


def test_a_person_s_runs_past_their_turns_wait_for_one_of_theirs_and_a_colleague_s_run_does_not(runtime, monkeypatch):
    engine, _log = runtime
    engine._per_person = 2
    engine._model = model = AskedByWhom()
    colleague = Principal(user_id=uuid.uuid4(), company_id=PRINCIPAL.company_id, role=Role.SALES)
    people = {"sam": PRINCIPAL, "fiona": colleague}
    monkeypatch.setattr(agent_runtime.tenancy, "authenticate", lambda uow, signer, token, **_: people[token])
    sam, fiona = agent_runtime._end_user(PRINCIPAL), agent_runtime._end_user(colleague)

    async def settled(expected: dict[str | None, int]) -> dict[str | None, int]:
        deadline = time.monotonic() + 2
        while dict(model.waiting) != expected and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # nothing more comes
        return dict(model.waiting)

    async def three_of_sam_and_one_of_fiona() -> tuple[dict, dict, int]:
        await engine.start_background()
        sams = [(await engine.start(Session("sam", PRINCIPAL), text=f"q{n}", thread_id=None))[0] for n in range(3)]
        await engine.start(Session("fiona", colleague), text="q", thread_id=None)
        first = await settled({sam: 2, fiona: 1})
        await engine.cancel(PRINCIPAL, sams[0])
        after_one_ended = await settled({sam: 3, fiona: 1})
        await _stop_runs_and_close(engine)
        return first, after_one_ended, len(engine._turns)

    first, after_one_ended, turns_left = asyncio.run(three_of_sam_and_one_of_fiona())
    assert first == {sam: 2, fiona: 1}, "two of Sam's three runs worked on, Fiona's at once"
    assert after_one_ended == {sam: 3, fiona: 1}, "Sam's third run worked on once one of his ended"
    assert turns_left == 0, "nothing kept for people with no run here"
