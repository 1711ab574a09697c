"""The assistant at the seeds' scale: companies full of people asking at once, each checked for their whole answer.

World facts written here: ``assistant.crowd_figures``, ``assistant.crowd_members``, ``assistant.crowd_runs``."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from hamcrest import assert_that, described_as, equal_to, has_length

from support.areas.assistant.crowd import Member, crowd
from support.areas.assistant.event_contract import broken_rules
from support.clients.chat_client import ChatClient
from support.clients.platform_processes import platform_processes
from support.report.evidence import attach_json
from support.scenario.async_runner import run_async
from support.scenario.connections import socket_url
from support.scenario.world import World
from support.stack.process_usage import ProcessUsage

ANSWER_TIMEOUT_S = 600


@dataclass
class PersonRun:
    member: Member
    client: ChatClient
    run_id: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    seconds: float | None = None
    busy_answers: int = 0


def companies_of_people(world: World, companies: int, per_company: int) -> list[Member]:
    inspectors = world.inspectors
    if not inspectors.config.admin_key:
        raise AssertionError("making companies needs the operator key (PLATFORM_ADMIN_KEY)")
    members = crowd(
        inspectors.config.platform_url,
        inspectors.config.admin_key,
        companies=companies,
        per_company=per_company,
        label="scale",
    )
    attach_json("companies made", {"companies": companies, "people": len(members)})
    world.assistant.crowd_members = members
    return world.assistant.crowd_members


def everyone_asks(world: World, question: str) -> list[PersonRun]:
    """Everyone connects (dealt in turn to every instance), then all ask at the same instant and wait for
    the end of their own run."""
    instances = len(world.inspectors.config.instance_urls)
    urls = [socket_url(world, n) for n in range(instances)]
    with ProcessUsage(platform_processes(world.inspectors.config.instance_urls)) as memory:
        runs, wall = crowd_asks(world.assistant.crowd_members, question, urls)
    world.assistant.crowd_runs = runs
    world.assistant.crowd_figures = figures_of(runs, wall, memory.peaks_mb, "the platform", cpu_s=memory.cpu_s)
    return runs


def crowd_asks(members: list[Member], question: str, urls: list[str]) -> tuple[list[PersonRun], float]:
    """``members`` connect, dealt in turn to ``urls``; all ask at the same instant; each waits for the end of
    their own run. The runs, and the seconds from the first question to the last answer."""

    async def ask_all() -> tuple[list[PersonRun], float]:
        clients = await asyncio.gather(
            *(ChatClient(m.email, urls[n % len(urls)], m.token).connect() for n, m in enumerate(members))
        )
        runs = [PersonRun(m, c) for m, c in zip(members, clients, strict=False)]
        began = time.monotonic()
        await asyncio.gather(*(_ask(run, question) for run in runs))
        wall = time.monotonic() - began
        await asyncio.gather(*(run.client.close() for run in runs))
        return runs, wall

    return run_async(ask_all())


async def _ask(run: PersonRun, question: str) -> None:
    """Asks, and asks again after the wait it is given while the platform answers busy (as a client should)."""
    began = time.monotonic()
    reply = await run.client.ask(question)
    while reply.get("code") == "busy":
        run.busy_answers += 1
        await asyncio.sleep(reply["retry_after_s"])
        reply = await run.client.ask(question)
    if reply["type"] != "accepted":
        raise AssertionError(f"{run.member.email} was refused: {reply}")
    run.run_id = reply["run_id"]
    run.events = await run.client.wait_for(run.run_id, timeout=ANSWER_TIMEOUT_S)
    run.seconds = time.monotonic() - began


def figures_of(
    runs: list[PersonRun], wall: float, peak_mb: dict[str, float], who: str, *, cpu_s: float | None = None
) -> dict[str, Any]:
    """Latency from question to answer, events, events a second, memory and (``cpu_s``: the CPU seconds its
    processes spent) CPU per question of ``who``'s crowd, attached to the report."""
    seconds = sorted(r.seconds for r in runs if r.seconds is not None)
    events = sum(len(r.events) for r in runs)

    def percentile(share: float) -> float | None:
        return round(seconds[min(len(seconds) - 1, int(share * len(seconds)))], 3) if seconds else None

    figures = {
        "people": len(runs),
        "answered": len(seconds),
        "events": events,
        "wall_s": round(wall, 2),
        "busy_answers": sum(r.busy_answers for r in runs),
        "events_per_s": round(events / wall, 1) if wall else None,
        "latency_s": {
            "p50": percentile(0.50),
            "p95": percentile(0.95),
            "p99": percentile(0.99),
            "mean": round(statistics.mean(seconds), 3) if seconds else None,
        },
        "peak_memory_mb_by_instance": peak_mb,
        "cpu_ms_per_question": round(cpu_s * 1000 / len(seconds), 2) if cpu_s is not None and seconds else None,
    }
    attach_json(f"figures of {who} (latency from question to answer, events, memory)", figures)
    return figures


def each_got_their_whole_answer(world: World, people: int) -> None:
    """Everyone's run: answered, every seq once and in order, no event of anyone else's run, the contract kept."""
    runs: list[PersonRun] = world.assistant.crowd_runs
    assert_that(runs, has_length(people), "people who asked")
    problems = {}
    for run in runs:
        seqs = [e["seq"] for e in run.events]
        found = []
        if seqs != list(range(len(seqs))):
            found.append(f"seqs {seqs}")
        if run.client.duplicates[run.run_id]:
            found.append(f"{run.client.duplicates[run.run_id]} events twice")
        foreign = [rid for rid in run.client.events if rid != run.run_id]
        if foreign:
            found.append(f"events of other runs {foreign}")
        if not run.events or run.events[-1]["type"] != "agent_completed":
            found.append(f"ended with {run.events[-1]['type'] if run.events else 'nothing'}")
        found += broken_rules(run.events)
        if found:
            problems[run.member.email] = found
    attach_json("people whose answer was not whole", problems)
    assert_that(
        problems, described_as("people whose answer was not whole, once, in order and only theirs", equal_to({}))
    )
