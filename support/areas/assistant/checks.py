"""What people see of the assistant, checked against the event contract and the company's data."""

from __future__ import annotations

import json
import re

from hamcrest import (
    all_of,
    assert_that,
    contains_exactly,
    contains_string,
    described_as,
    empty,
    equal_to,
    greater_than,
    has_entries,
    has_item,
    has_length,
    is_not,
    less_than,
    only_contains,
)

from support.areas.assistant import tasks
from support.areas.assistant.event_contract import broken_rules
from support.clients.paths import Assistant
from support.scenario.money_text import Money
from support.scenario.personas import OWNER_PERSONA
from support.scenario.world import World

STAGES = {
    "starts": "agent_started",
    "thinks": "agent_thinking",
    "uses a tool": "tool_executing",
    "gets the tool's result": "tool_completed",
    "answers": "agent_completed",
    "fails": "agent_failed",
}
# Why a question or a run ended, in the feature's words -> the code the platform gives.
REASONS = {
    "it was cancelled": "cancelled",
    "the language model is unavailable": "model_unavailable",
    "he asked too often": "rate_limited",
    "the assistant is busy": "busy",
    "the conversation is archived": "thread_archived",
    "its instance was lost": "instance_lost",
    "it asked for too many look-ups": "too_many_tool_calls",
    "he used up his look-ups for the minute": "tool_calls_rate_limited",
}
# The part of a question a refusal names (none: the refusal is about the asker or the instance, not the question)
REFUSAL_NAMES = {"thread_archived": "thread_id"}
TOOLS = {
    "pipeline": "open_pipeline_summary",
    "overdue invoices": "overdue_invoices",
    "revenue": "revenue_by_month",
    "client": "client_lookup",
    "follow-up": "create_follow_up_task",
    "research": "research",
}


def keeps_contract(events: list[dict]) -> None:
    assert_that(broken_rules(events), described_as("broken rules of the event contract", empty()))


def run_keeps_contract(world: World) -> None:
    keeps_contract(world.assistant.run.events)


def stages_in_order(world: World, name: str, stages: list[str]) -> None:
    seen = []
    for event in tasks.run_of(world, name).events:
        if not seen or seen[-1] != event["type"]:
            seen.append(event["type"])
    assert_that(seen, contains_exactly(*[STAGES[s] for s in stages]), "the stages of the run, in order")


def tools_used(world: World, tools: list[str]) -> None:
    events = world.assistant.run.events
    started = {e["tool_call_id"]: e["data"]["tool"] for e in events if e["type"] == "tool_executing"}
    done = {e["tool_call_id"]: e["data"]["status"] for e in events if e["type"] == "tool_completed"}
    assert_that(sorted(started.values()), equal_to(sorted(TOOLS[t] for t in tools)), "the tools the run used")
    assert_that(done, equal_to({call: "ok" for call in started}), "each tool call completed, paired by its id")
    keeps_contract(events)


def tool_status(world: World, tool: str, status: str) -> None:
    events = world.assistant.run.events
    calls = [e["tool_call_id"] for e in events if e["type"] == "tool_executing" and e["data"]["tool"] == TOOLS[tool]]
    assert_that(calls, has_length(1), f"one {tool} tool call")
    outcome = next(e["data"] for e in events if e["type"] == "tool_completed" and e["tool_call_id"] == calls[0])
    assert_that(outcome["status"], equal_to(status), f"the {tool} tool's status")


def may_ask_again(world: World) -> None:
    """The run's end says that asking again may work (a retryable failure)."""
    assert_that(world.assistant.run.events[-1]["data"], has_entries(retryable=True), "whether asking again may work")


def run_ended(world: World, how: str, reason: str | None = None) -> None:
    code = REASONS[reason] if reason else None
    events = world.assistant.run.events
    keeps_contract(events)
    assert_that(events[-1]["type"], equal_to(STAGES[how]), "how the run ended")
    if code:
        assert_that(events[-1]["data"], has_entries(code=code), "why the run failed")


def answered_on_every_instance(world: World, name: str, question: str) -> None:
    """Asked through each instance, the question is taken (not refused) and ends with an answer each time."""
    for run in tasks.asked_on_every_instance(world, name, question):
        keeps_contract(run.events)
        assert_that(run.events[-1]["type"], equal_to(STAGES["answers"]), f"how {name}'s question ended")


def answer_mentions(world: World, text: str) -> None:
    assert_that(world.assistant.run.answer, contains_string(text), "the assistant's answer")


def answer_has_no_markup(world: World) -> None:
    answer = world.assistant.run.answer
    assert_that([ch for ch in "<>" if ch in answer], described_as("markup characters in the answer", empty()))
    tool_results = [str(e["data"]) for e in world.assistant.run.events if e["type"] == "tool_completed"]
    assert_that([r for r in tool_results if "<" in r or ">" in r], described_as("markup in tool results", empty()))


def pipeline_agrees_with_data(world: World, amount: Money, deals: int) -> None:
    events = world.assistant.run.events
    result = next(
        e["data"]["result"]
        for e in events
        if e["type"] == "tool_completed" and e["data"]["status"] == "ok" and "pipeline" in e["data"]["result"]
    )
    assert_that(
        result["pipeline"],
        contains_exactly(has_entries(currency=amount.currency, deals=deals, total=f"{amount.amount:.2f}")),
        "the open pipeline the tool found",
    )
    answer_mentions(world, f"{amount} in {deals} open deal")
    rows = world.db.rows("open_deals_total", tenant=world.tenant_id)
    if rows is not None:
        assert_that((rows[0]["deals"], rows[0]["total"]), equal_to((deals, amount.amount)), "the open deals stored")


def second_answer_uses_first(world: World) -> None:
    first, second = world.assistant.runs[-2:]
    assert_that(second.thread_id, equal_to(first.thread_id), "the same thread")
    assert_that(second.answer, contains_string(first.answer), "the second answer draws on the first")


def thread_holds(world: World, count: int) -> None:
    """The thread holds ``count`` messages, questions and answers in turn, each question and its answer under
    the run that asked it (the runs of the thread, in the order they were asked)."""
    run = world.assistant.run
    thread = world.actor(run.asker).reads_conversation(run.thread_id)
    roles = [m["role"] for m in thread["messages"]]
    assert_that(roles, equal_to(["user", "assistant"] * (count // 2)), "the thread's messages, in order")
    asked = [r.run_id for r in world.assistant.runs if r.thread_id == run.thread_id]
    assert_that(
        [m["run_id"] for m in thread["messages"]],
        equal_to([run_id for run_id in asked for _ in ("question", "answer")]),
        "the run each message belongs to: its question's",
    )
    rows = world.db.rows("thread_messages", tenant=world.tenant_id, id=run.thread_id)
    if rows is not None:
        assert_that([r["role"] for r in rows], equal_to(roles), "the stored messages")


def conversation_named_by_its_question(world: World, name: str, characters: int) -> None:
    """The person's conversation of the last question is named by that question's first ``characters`` characters."""
    run = world.assistant.run
    listed = world.actor(name).lists(Assistant.THREADS, archived="false")
    titles = [t["title"] for t in listed if str(t["id"]) == str(run.thread_id)]
    assert_that(titles, equal_to([run.question[:characters]]), f"the name of {name}'s conversation")


def threads_listed(world: World, name: str, count: int, archived: bool = False) -> None:
    listed = world.actor(name).lists(Assistant.THREADS, archived=str(archived).lower())
    assert_that(listed, has_length(count), f"{name}'s {'archived ' if archived else ''}threads")


def refused(world: World, reason: str) -> None:
    """The question was refused for ``reason``, naming the part of the question at fault when there is one."""
    code = REASONS[reason]
    assert_that(world.assistant.refusal, has_entries(code=code, field=REFUSAL_NAMES.get(code)), "the refusal")


def told_to_ask_again_in(world: World, name: str, seconds: int) -> None:
    """The last refusal ``name``'s connections received says when to ask again (a client waits that long, then
    asks the same or another instance)."""
    refusals = [
        message["frame"]
        for (person, _, _), client in world.assistant.chats.items()
        if person == name
        for message in client.transcript
        if message["direction"] == "received" and message["frame"].get("type") == "error"
    ]
    assert_that(refusals, described_as(f"the refusals {name} received", is_not(empty())))
    assert_that(refusals[-1], has_entries(retry_after_s=seconds), "when the refusal says to ask again")


def nothing_doubled_or_lost(world: World) -> None:
    run = world.assistant.run
    assert_that([e["seq"] for e in run.events], equal_to(list(range(len(run.events)))), "every seq, once, in order")
    assert_that(run.client.duplicates[run.run_id], equal_to(0), "duplicate events received after resuming")
    assert_that(
        world.assistant.resumed_after,
        all_of(greater_than(-1), less_than(len(run.events) - 1)),
        "the seq the connection dropped after: mid-run, before the end",
    )
    keeps_contract(run.events)


def follower_saw_whole_run(world: World) -> None:
    followed = world.assistant.followed
    keeps_contract(followed)
    assert_that(
        [e["event_id"] for e in followed],
        equal_to([e["event_id"] for e in world.assistant.run.events]),
        "the other instance delivered exactly the events of the run",
    )


def follower_saw_nothing(world: World) -> None:
    assert_that(world.assistant.followed, empty(), "events of someone else's run")
    assert_that(
        world.assistant.refusal,
        has_entries(code="resume_unavailable"),
        "someone else's run, answered as one whose events are no longer kept",
    )


def resume_unavailable(world: World, name: str) -> None:
    assert_that(
        world.assistant.resume_answer.of(name),
        has_entries(type="agent_failed", data=has_entries(code="resume_unavailable", retryable=False)),
        "the answer to resuming a question whose events are gone",
    )


def follow_up_task_written(world: World, title: str, written: bool) -> None:
    project = world.sales.project
    tasks = world.actor(OWNER_PERSONA).looks_at("projects", project["id"])["tasks"]
    titles = [t["title"] for t in tasks]
    assert_that(titles, has_item(title) if written else is_not(has_item(title)), "the project's tasks")
    rows = world.db.rows("tasks_of_project", tenant=world.tenant_id, id=project["id"])
    if rows is not None:
        assert_that([r["title"] for r in rows].count(title), equal_to(1 if written else 0), "stored follow-up tasks")


def everyone_got_only_their_own(world: World) -> None:
    runs = world.assistant.crowd
    assert_that(len(runs), greater_than(49), "sessions at once")
    for run in runs:
        foreign = [rid for rid in run.client.events if rid != run.run_id]
        assert_that(foreign, described_as(f"other runs' events that reached {run.client.name}", empty()))
        keeps_contract(run.events)
        assert_that(run.events[-1]["type"], equal_to("agent_completed"), f"how {run.client.name}'s run ended")
    assert_that([r.run_id for r in runs], only_contains(is_not(None)), "every question taken, with a run of its own")
    assert_that(len({r.run_id for r in runs}), equal_to(len(runs)), "one run each")


def refused_at_once_without_the_model(world: World, name: str, question: str) -> None:
    """``name`` asks again in the conversation on every instance: each run fails because the model is
    unavailable, and the model is not asked (its circuit refuses the call)."""
    before = tasks.model_calls(world)
    for instance in range(len(world.inspectors.config.instance_urls)):
        tasks.ask(world, name, question, same_thread=True, instance=instance)
        run_ended(world, "fails", "the language model is unavailable")
    assert_that(tasks.model_calls(world) - before, equal_to(0), "completions the model was asked for meanwhile")


def limits_are(world: World, questions: int, milliseconds: int) -> None:
    """The company's assistant limits as its owner reads them: questions a person may ask a minute, and how long
    each tool may take."""
    assert_that(
        tasks.assistant_limits(world),
        has_entries(assistant_runs_per_minute=questions, assistant_tool_timeout_ms=milliseconds),
        "the limits a company's assistant starts with",
    )


MEMORY_TOLD = re.compile(
    r"I was given (\d+) earlier messages of our conversation, \d+ characters in all, the oldest beginning (\".*?\")\."
)


def given_the_latest(world: World, given: int, held: int) -> None:
    """The last question's conversation held ``held`` messages before it, and the model was given the latest
    ``given`` of them with it (it says how many, and how the oldest it was given begins: the double's answer to
    "How much of our conversation were you given?")."""
    run = world.assistant.run
    thread = world.actor(run.asker).reads_conversation(run.thread_id)
    before = thread["messages"][:-2]  # the last question and its answer aside
    assert_that(len(before), equal_to(held), "the messages the conversation held before the last question")
    told = MEMORY_TOLD.search(run.answer)
    assert_that(told, is_not(None), f"the assistant's answer says what it was given: {run.answer!r}")
    oldest_given = json.dumps(before[held - given]["content"][:40]) if given else '""'
    assert_that(
        (int(told.group(1)), told.group(2)),
        equal_to((given, oldest_given)),
        "how many earlier messages the model was given with the question, and how the oldest of them begins "
        "(the latest ones, none left out between them)",
    )
