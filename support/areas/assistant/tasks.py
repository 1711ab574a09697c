"""Assistant journeys: people asking, cancelling, reconnecting; companies' settings; faults on the model.

World facts written here: ``assistant.crash``, ``assistant.crowd``, ``assistant.followed``,
``assistant.follower``, ``assistant.model_fault``, ``assistant.refusal``, ``assistant.resume_answer``,
``assistant.resumed_after``, ``assistant.run``, ``assistant.runs``."""

from __future__ import annotations

import asyncio
from typing import Any

import requests

from support.clients.chat_client import ChatClient
from support.clients.faults import DoubleFault, InstanceCrash, InstanceSettings
from support.clients.paths import Compliance
from support.scenario.async_runner import run_async
from support.scenario.connections import chat
from support.scenario.facts import AskedRun, Told
from support.scenario.personas import OWNER_PERSONA, PERSONAS
from support.scenario.world import World


def ask(
    world: World,
    name: str,
    question: str,
    *,
    company: str | None = None,
    same_thread: bool = False,
    wait_for: str | None = "end",
    instance: int = 0,
) -> AskedRun | None:
    client = chat(world, name, company, instance=instance)
    thread_id = world.assistant.run.thread_id if same_thread else None
    reply = run_async(client.ask(question, thread_id))
    if reply["type"] == "error":
        client.attach_transcript()
        world.assistant.refusal = reply["data"]
        return None
    run = AskedRun(name, client, reply["run_id"], reply["thread_id"], question=question)
    if wait_for:
        run.events = run_async(client.wait_for(run.run_id, event_type=None if wait_for == "end" else wait_for))
    client.attach_transcript()
    world.assistant.runs.append(run)
    world.assistant.run = run
    return world.assistant.run


def asks_at_length(world: World, name: str, characters: int) -> None:
    """A question of exactly ``characters`` characters (the pipeline asked about, then more words), run to its end."""
    words = "What is our open pipeline? And then, " + "please tell me more about it " * (characters // 29 + 1)
    ask(world, name, words[:characters])


def asked_in_one_conversation(world: World, name: str, questions: int, *, characters: int | None = None) -> None:
    """``questions`` questions asked one after the other in one conversation, each run to its end: each of
    ``characters`` characters when given (words that ask for no look-up), else a short one."""
    for number in range(1, questions + 1):
        text = f"Question {number}: what else can you do for us?"
        if characters is not None:
            text = (text + " Tell me more" * (characters // 12 + 1))[:characters]
        asked(world, name, text, same_thread=number > 1)


def asked(
    world: World,
    name: str,
    question: str,
    *,
    company: str | None = None,
    instance: int = 0,
    same_thread: bool = False,
) -> AskedRun:
    """A question that was taken and ran to its end: what a later step builds on (a refusal fails here)."""
    run = ask(world, name, question, company=company, instance=instance, same_thread=same_thread)
    if run is None:
        refusal = world.assistant.refusal
        raise AssertionError(
            f"{name}'s question through instance {instance + 1} was refused"
            f" ({refusal['code']}: {refusal['message']}), not answered"
        )
    return run


def asked_on_every_instance(world: World, name: str, question: str) -> list[AskedRun]:
    """The question asked once through each platform instance, each run to its end."""
    instances = range(len(world.inspectors.config.instance_urls))
    return [asked(world, name, question, instance=n) for n in instances]


def wait_for_end(world: World, name: str | None = None) -> AskedRun:
    """Reads the last run's events until its end; ``name``: checked to be the asker (as the step says)."""
    run = world.assistant.run if name is None else run_of(world, name)
    run.events = run_async(run.client.wait_for(run.run_id))
    run.client.attach_transcript()
    return run


def run_of(world: World, name: str) -> AskedRun:
    """The last question asked, checked to be ``name``'s (as the step says)."""
    run: AskedRun = world.assistant.run
    if run.asker != name:
        raise AssertionError(f"the step speaks of {name}'s question, but the last one was asked by {run.asker}")
    return run


def cancel(world: World, name: str) -> None:
    run = run_of(world, name)
    run_async(run.client.send({"type": "cancel", "run_id": run.run_id}))
    wait_for_end(world)


def reconnect_and_resume(world: World, name: str, *, instance: int) -> AskedRun:
    """Drops the connection the run was asked on and follows the run from another, after the last seq seen."""
    run = world.assistant.run
    seen = list(run.client.events[run.run_id])
    run_async(run.client.close())
    run.client.attach_transcript()
    fresh = chat(world, name, instance=instance, fresh=True)
    last = seen[-1]["seq"] if seen else -1
    run_async(fresh.send({"type": "resume", "run_id": run.run_id, "after_seq": last}))
    rest = run_async(fresh.wait_for(run.run_id))
    fresh.attach_transcript()
    run.client, run.events = fresh, seen + rest
    world.assistant.resumed_after = last
    return run


def follow_from(world: World, name: str, *, instance: int, company: str | None = None) -> list[dict[str, Any]]:
    """Another connection (maybe another person) follows the last run from its first event."""
    run = world.assistant.run
    other = chat(world, name, company, instance=instance, fresh=True)
    run_async(other.send({"type": "resume", "run_id": run.run_id, "after_seq": -1}))
    world.assistant.follower = other
    if name == run.asker and company is None:
        events = run_async(other.wait_for(run.run_id))
    else:  # someone else's run: answered with an end that is no event of the run (no seq)
        answered = run_async(other.wait_for(run.run_id, timeout=5))
        world.assistant.refusal = answered[-1].get("data", {})
        events = [e for e in answered if e.get("seq") is not None]
    other.attach_transcript()
    world.assistant.followed = events
    return world.assistant.followed


def also_follow(world: World, name: str, *, instance: int) -> ChatClient:
    """The asker opens a second connection, to instance index ``instance``, and follows the last run from its start."""
    run = world.assistant.run
    other = chat(world, name, instance=instance, fresh=True)
    run_async(other.send({"type": "resume", "run_id": run.run_id, "after_seq": -1}))
    world.assistant.follower = other
    return world.assistant.follower


def instance_crashes(world: World, instance: int) -> None:
    """Kills platform instance ``instance`` (only the second can be: STACK_CONTROL_URL); restarted at cleanup."""
    crash = InstanceCrash(_control_of_the_second(world, instance, "crashed"), "platform-2")
    world.on_cleanup(crash.heal)
    world.assistant.crash = crash


def instance_takes_one_question_at_a_time(world: World, instance: int) -> None:
    """Restarts platform instance ``instance`` (only the second: STACK_CONTROL_URL) working on one question at a
    time with none waiting for a turn; restarted as it was at cleanup."""
    settings = {"ASSISTANT_MAX_RUNNING_RUNS": "1", "ASSISTANT_MAX_WAITING_RUNS": "0"}
    control = _control_of_the_second(world, instance, "restarted")
    world.on_cleanup(InstanceSettings(control, "platform-2", settings).heal)


def _control_of_the_second(world: World, instance: int, done: str) -> str:
    """The stack control's address, when ``instance`` is the embedded stack's second (the one a scenario may
    kill or restart with other settings)."""
    control = world.inspectors.config.stack_control_url
    if instance != 2 or not control:
        raise AssertionError(f"only the embedded stack's second instance can be {done} (STACK_CONTROL_URL)")
    return control


def instance_comes_back(world: World) -> None:
    world.assistant.crash.heal()


def follower_hears_the_end(world: World, name: str, *, within_s: float) -> list[dict[str, Any]]:
    """The end of the last run as ``name``, its follower, hears it, waited for at most ``within_s``;
    becomes the run's events."""
    run, follower = world.assistant.run, world.assistant.follower
    if not follower.name.startswith(f"{name} "):
        raise AssertionError(f"the step speaks of {name} following, but the follower is {follower.name}")
    events = run_async(follower.wait_for(run.run_id, timeout=within_s))
    follower.attach_transcript()
    run.events = events
    return events


def resume_unknown_run(world: World, name: str) -> dict[str, Any]:
    client = chat(world, name)
    run_async(client.send({"type": "resume", "run_id": "0" * 32, "after_seq": 3}))
    events = run_async(client.wait_for("0" * 32))
    client.attach_transcript()
    world.assistant.resume_answer = Told(name, events[-1])
    return events[-1]


def set_assistant_limits(world: World, **values: int) -> dict[str, Any]:
    return (
        world.actor(OWNER_PERSONA).api.call("PUT", Compliance.SETTINGS, json=values).expect_ok("changing the settings")
    )


def assistant_limits(world: World) -> dict[str, Any]:
    """The company's settings, as its owner reads them."""
    return world.actor(OWNER_PERSONA).api.call("GET", Compliance.SETTINGS).expect_ok("reading the settings")


def hold_company_records(world: World) -> None:
    world.long_job_holding_records()


def model_goes_down(world: World) -> None:
    if not world.inspectors.config.model_url:
        raise AssertionError("this fault needs the model's control endpoint (MODEL_URL)")
    fault = DoubleFault(world.inspectors.config.model_url, {"down": True})
    world.on_cleanup(fault.heal)
    world.assistant.model_fault = fault


def model_fails_next(world: World, requests_count: int) -> None:
    """The model double answers its next ``requests_count`` completions with 500, then normally again."""
    if not world.inspectors.config.model_url:
        raise AssertionError("this fault needs the model's control endpoint (MODEL_URL)")
    fault = DoubleFault(world.inspectors.config.model_url, {"errors": requests_count})
    world.on_cleanup(fault.heal)


def model_comes_back(world: World) -> None:
    world.assistant.model_fault.heal()


def model_calls(world: World) -> int:
    """How many completions the model double was asked for so far (its own count, not a real model's API)."""
    response = requests.get(f"{world.inspectors.config.model_url}/_control", timeout=5)
    response.raise_for_status()
    return int(response.json()["calls"])


def many_people_ask(world: World, companies: int, question: str) -> list[AskedRun]:
    """Every persona of ``companies`` companies asks at once, each on their own connection, the connections
    dealt in turn to every platform instance."""
    people = [(name, f"Company {n}" if n else None) for n in range(companies) for name in PERSONAS]
    instances = len(world.inspectors.config.instance_urls)
    clients = [chat(world, name, company, instance=n % instances) for n, (name, company) in enumerate(people)]

    async def everyone() -> list[AskedRun]:
        replies = await asyncio.gather(*(c.ask(question) for c in clients))
        runs = [
            AskedRun(name, c, r["run_id"], r["thread_id"])
            for (name, _), c, r in zip(people, clients, replies, strict=False)
        ]
        finished = await asyncio.gather(*(r.client.wait_for(r.run_id, timeout=60) for r in runs))
        for run, events in zip(runs, finished, strict=False):
            run.events = events
        return runs

    runs = run_async(everyone())
    for client in clients:
        client.attach_transcript()
    world.assistant.crowd = runs
    return world.assistant.crowd
