"""The assistant with the asker's rights: a model told to misbehave, and what the platform lets through.

The model double misbehaves for one asker at a time (its ``/_misbehave`` control, keyed by the end-user id
the platform sends with each request: sha256("tenant_id:user_id")[:32]); it behaves again at cleanup.
"""

from __future__ import annotations

import hashlib
from typing import Any

import requests
from hamcrest import assert_that, contains_string, described_as, empty, equal_to, has_entries, has_item

from support.areas.assistant.checks import TOOLS
from support.areas.tenancy import isolation
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
    events = world.recall("run").events
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


def refused_naming(world: World, field: str) -> None:
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
    isolation.records_belong_to(world, company)
    text = str(world.recall("run").events)
    leaked = [kind for kind, record_id in world.recall("records").items() if record_id in text]
    assert_that(leaked, described_as(f"{company}'s records (by id) in the run's events", empty()))
    found = [e["data"].get("result", {}).get("clients") for e in _completed(world, "client")]
    assert_that(found, equal_to([[]]), "the clients the look-up found")


def task_attributed(world: World, title: str, asker: str) -> None:
    """The task and its audit entry name ``asker`` and say the assistant wrote it."""
    project = world.recall("project")
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
    project = world.recall("project")
    titles = [t["title"] for t in world.actor(name).looks_at("projects", project["id"])["tasks"]]
    assert_that(titles, has_item(title), f"the tasks {name} sees on the project")
