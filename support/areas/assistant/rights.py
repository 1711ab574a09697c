"""The assistant with the asker's rights: a model told to misbehave, and what the platform lets through.

The model double misbehaves for one asker at a time (its ``/_misbehave`` control, keyed by the end-user id
the platform sends with each request: sha256("tenant_id:user_id")[:32]); it behaves again at cleanup.

World facts written here: ``assistant.time_limit_outcomes``.
"""

from __future__ import annotations

import hashlib
from typing import Any

import requests
from hamcrest import assert_that, contains_string, described_as, empty, equal_to, has_entries, has_item

from support.areas.assistant import tasks
from support.areas.assistant.checks import TOOLS
from support.clients.paths import Compliance
from support.report.evidence import attach_json
from support.scenario.personas import OWNER_PERSONA
from support.scenario.world import World

MISBEHAVIOURS: dict[str, dict[str, Any]] = {  # as the feature names them: what the model asks for
    "calls a tool that does not exist": {"calls": [{"name": "delete_all_invoices", "arguments": {}}]},
    "passes arguments that are not JSON": {"calls": [{"name": "client_lookup", "arguments": "{name: Globex"}]},
    "passes an argument the tool does not take": {
        "calls": [{"name": "client_lookup", "arguments": {"name": "Globex", "tenant_id": "another company"}}]
    },
    "passes an argument of 5,000 characters": {"calls": [{"name": "client_lookup", "arguments": {"name": "G" * 5000}}]},
    "leaves out an argument the tool needs": {
        "calls": [{"name": "create_follow_up_task", "arguments": {"title": "x"}}]
    },
    "passes a hidden control character in an argument": {
        "calls": [{"name": "client_lookup", "arguments": {"name": "Glo\u0000bex"}}]
    },
    "passes half a character in an argument": {
        "calls": [{"name": "client_lookup", "arguments": '{"name": "Glo\\ud800bex"}'}]
    },
    "names an argument with a hidden control character": {
        "calls": [{"name": "client_lookup", "arguments": '{"na\\u0000me": "Globex"}'}]
    },
    "passes a number past what a number may be": {"calls": [{"name": "client_lookup", "arguments": '{"name": 1e999}'}]},
    "passes a number that is not a number": {"calls": [{"name": "client_lookup", "arguments": '{"name": NaN}'}]},
    "passes arguments nested fifty thousand deep": {
        "calls": [{"name": "client_lookup", "arguments": "[" * 50_000 + "]" * 50_000}]
    },
    "passes research topics that are not words": {
        "calls": [{"name": "research", "arguments": {"topics": [["overdue"]]}}]
    },
    "asks for research on every topic": {"calls": [{"name": "research", "arguments": {}}]},
    "asks for a follow-up and a look-up with a hidden control character at once": {
        "calls": [
            {"name": "create_follow_up_task", "arguments": {"title": "Follow up with Globex", "client": "Globex"}},
            {"name": "client_lookup", "arguments": {"name": "Glo\u0000bex"}},
        ]
    },
    "follows instructions planted in the data": {"obey_data": True},
    "asks for the same look-up again and again": {"repeat": True},
}


def _end_user(world: World, name: str) -> str:
    return hashlib.sha256(f"{world.tenant_id}:{world.actor(name).user_id}".encode()).hexdigest()[:32]


def _misbehave(world: World, body: dict[str, Any]) -> None:
    url = world.inspectors.config.model_url
    if not url:
        raise AssertionError("a misbehaving model needs the model double (MODEL_URL)")
    response = requests.post(f"{url.rstrip('/')}/_misbehave", json=body, timeout=5)
    response.raise_for_status()
    attach_json("the model is told to misbehave" if len(body) > 1 else "the model behaves again", response.json())


def model_misbehaves(world: World, name: str, how: str) -> None:
    """The model, for ``name``'s questions, does ``how``; set back at cleanup."""
    user = _end_user(world, name)
    _misbehave(world, {"user": user, **MISBEHAVIOURS[how]})
    world.on_cleanup(lambda: _misbehave(world, {"user": user}))


def model_asks_for(world: World, name: str, tool: str, arguments: dict[str, Any]) -> None:
    user = _end_user(world, name)
    _misbehave(world, {"user": user, "calls": [{"name": TOOLS.get(tool, tool), "arguments": arguments}]})
    world.on_cleanup(lambda: _misbehave(world, {"user": user}))


def _completed(world: World, tool: str | None = None) -> list[dict[str, Any]]:
    events = world.assistant.run.events
    executing = {e["tool_call_id"]: e["data"]["tool"] for e in events if e["type"] == "tool_executing"}
    return [
        e
        for e in events
        if e["type"] == "tool_completed" and (tool is None or executing.get(e["tool_call_id"]) == TOOLS.get(tool, tool))
    ]


def tool_outcome(world: World, tool: str, outcome: str) -> None:
    completed = _completed(world, tool)
    assert_that(len(completed), equal_to(1), f"the {tool} tool's results")
    data = completed[0]["data"]
    if outcome == "used":
        assert_that(data, has_entries(status="ok"), f"the {tool} tool, used with the asker's rights")
        return
    assert_that(data, has_entries(status="error", refused="tool"), f"the {tool} tool, refused by the platform")
    assert_that(data["error"], contains_string("may not"), "the refusal, in business words")


FIELDS = {"company argument": "tenant_id"}  # a field as a feature names it, where the platform's name differs


def refused_naming(world: World, named: str) -> None:
    field = FIELDS.get(named, named)
    completed = _completed(world)
    assert_that(
        [e["data"] for e in completed],
        has_item(has_entries(status="error", refused=field)),
        f"a tool call refused naming the {field}",
    )


def refusal_audited(world: World, name: str, times: int) -> None:
    entries = world.actor(OWNER_PERSONA).lists(Compliance.AUDIT)
    refusals = [e for e in entries if e["action"] == "assistant_tool_refused"]
    attach_json("refused tool calls in the audit trail", refusals)
    assert_that(len(refusals), equal_to(times), "refused tool calls in the audit trail")
    assert_that(
        {e["actor_id"] for e in refusals},
        equal_to({world.actor(name).user_id} if times else set()),
        "who the refused calls were for",
    )


def nothing_of(world: World, company: str) -> None:
    """No record of ``company`` (another tenant, whose records the scenario made) is in any event of the run,
    and the client look-up found nobody."""
    world.records_made_for(company)
    text = str(world.assistant.run.events)
    leaked = [kind for kind, record_id in world.tenancy.records.items() if record_id in text]
    assert_that(leaked, described_as(f"{company}'s records (by id) in the run's events", empty()))
    found = [e["data"].get("result", {}).get("clients") for e in _completed(world, "client")]
    assert_that(found, equal_to([[]]), "the clients the look-up found")


def task_attributed(world: World, title: str, asker: str) -> None:
    """The task and its audit entry name ``asker`` and say the assistant wrote it."""
    project = world.sales.project
    tasks = [t for t in world.actor(OWNER_PERSONA).looks_at("projects", project["id"])["tasks"] if t["title"] == title]
    assert_that(len(tasks), equal_to(1), f"tasks called {title!r}")
    asker_id = world.actor(asker).user_id
    assert_that(tasks[0], has_entries(created_by=asker_id, written_via="assistant"), "who the task says asked for it")
    entries = [e for e in world.actor(OWNER_PERSONA).lists(Compliance.AUDIT) if e["entity_id"] == tasks[0]["id"]]
    assert_that(
        entries,
        has_item(has_entries(action="task_created", actor_id=asker_id, data=has_entries(by="assistant"))),
        "the task's audit entry",
    )


def colleague_sees_task(world: World, name: str, title: str) -> None:
    project = world.sales.project
    titles = [t["title"] for t in world.actor(name).looks_at("projects", project["id"])["tasks"]]
    assert_that(titles, has_item(title), f"the tasks {name} sees on the project")


def follow_ups_under_time_limits(world: World, names: list[str], question: str, times: int) -> None:
    """Times one run of ``question`` (its follow-up's time from executing to completed, with a generous limit),
    then each of ``names`` asks it ``times`` times, the company's tool time limit swept from half to twice that
    time in even steps (where a limit can fall mid-commit), each run followed to its end. Several askers: each
    person's tool calls a minute are limited."""
    tasks.set_assistant_limits(world, assistant_tool_timeout_ms=5000)
    first = tasks.asked(world, names[0], question)
    took_ms = _follow_up_ms(first.events)
    outcomes = [
        {"limit_ms": 5000, "took_ms": took_ms, "reported": _follow_up_statuses(world), "ends": first.events[-1]}
    ]
    steps = times * len(names)
    for n in range(steps):
        limit = max(1, round(took_ms * (0.5 + 1.5 * n / max(1, steps - 1))))
        tasks.set_assistant_limits(world, assistant_tool_timeout_ms=limit)
        run = tasks.asked(world, names[n % len(names)], question)
        outcomes.append({"limit_ms": limit, "reported": _follow_up_statuses(world), "ends": run.events[-1]})
    attach_json("each question's tool time limit and what the follow-up tool reported", outcomes)
    world.assistant.time_limit_outcomes = outcomes


def _follow_up_ms(events: list[dict[str, Any]]) -> float:
    """Milliseconds from the follow-up's executing event to its completion, as the events' times say."""
    from datetime import datetime

    times = {e["type"]: datetime.fromisoformat(e["ts"]) for e in events if e["type"].startswith("tool_")}
    if len(times) != 2:
        raise AssertionError(f"the timed run used no single follow-up tool: {[e['type'] for e in events]}")
    return (times["tool_completed"] - times["tool_executing"]).total_seconds() * 1000


def _follow_up_statuses(world: World) -> list[str]:
    return [c["data"]["status"] for c in _completed(world, "follow-up")]


def as_many_follow_ups_as_reported(world: World, title: str) -> None:
    """The project holds one follow-up ``title`` for each run that reported the follow-up tool done, and no
    other: a call reported stopped, refused or failed wrote nothing."""
    outcomes = world.assistant.time_limit_outcomes
    reported_done = sum(o["reported"].count("ok") for o in outcomes)
    project = world.sales.project
    tasks_now = world.actor(OWNER_PERSONA).looks_at("projects", project["id"])["tasks"]
    written = [t for t in tasks_now if t["title"] == title]
    assert_that(
        len(written),
        equal_to(reported_done),
        f"follow-ups called {title!r} on the project, against the runs that reported one written",
    )


def every_run_answered(world: World) -> None:
    ends = [o["ends"] for o in world.assistant.time_limit_outcomes]
    assert_that(
        [e for e in ends if e["type"] != "agent_completed"],
        described_as("runs that did not end with an answer", empty()),
    )
