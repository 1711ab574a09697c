"""People at work in the platform at once, each reading a list again and again: the API measured against the
yardstick's bare list, served the same way and read by the same client in the same run.

Each person reads ``times`` times, one answer after another (the next request once the last answer is in),
all people at once, dealt in turn to every instance. Every answer is kept: how long it took, when it came,
and which records it showed.

World facts written here: ``performance.api_reads``, ``performance.api_yardstick_reads``."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass, field

import aiohttp

from support.areas.assistant.crowd import Member
from support.clients.paths import API_PREFIX, Sales
from support.clients.platform_processes import platform_processes
from support.report.evidence import attach_json
from support.scenario.async_runner import run_async
from support.scenario.world import World
from support.stack.process_usage import ProcessUsage

ANSWER_TIMEOUT_S = 60.0


@dataclass
class Reads:
    """What one run of reads gave: each answer's seconds and the moment it came (seconds since the start)."""

    times: int  # the reads each person made
    latencies: list[float] = field(default_factory=list)
    done_at: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    wrong: list[str] = field(default_factory=list)  # answers that were not a whole list, each said once
    shown: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # company -> record ids shown
    cpu_s: float | None = None

    def figures(self) -> dict[str, object]:
        ordered = sorted(self.latencies)

        def percentile(share: float) -> float | None:
            return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 4) if ordered else None

        answers = len(ordered)
        return {
            "answers": answers,
            "wall_s": round(self.wall_s, 2),
            "answers_per_s": round(answers / self.wall_s, 1) if self.wall_s else None,
            "latency_s": {"p50": percentile(0.5), "p95": percentile(0.95), "p99": percentile(0.99)},
            "wrong_answers": len(self.wrong),
            "cpu_ms_per_answer": round(self.cpu_s * 1000 / answers, 2) if self.cpu_s is not None and answers else None,
        }


def people_read_their_deals(world: World, times: int) -> Reads:
    """Everyone of the crowd reads their company's deals ``times`` times, over every instance; the platform's
    CPU over the run counted."""
    urls = world.inspectors.config.instance_urls
    with ProcessUsage(platform_processes(urls)) as usage:
        reads = _read(world.assistant.crowd_members, urls, times)
    reads.cpu_s = usage.cpu_s
    attach_json("figures of the platform (reads of the company's deals)", reads.figures())
    world.performance.api_reads = reads
    return reads


def people_read_the_yardstick(world: World) -> Reads:
    """The same people read the yardstick's bare list as often, the same way."""
    times = world.performance.api_reads.times
    reads = _read(world.assistant.crowd_members, world.performance.yardstick_http, times)
    attach_json("figures of the yardstick (reads of its bare endpoint)", reads.figures())
    world.performance.api_yardstick_reads = reads
    return reads


def _read(members: list[Member], urls: list[str], times: int) -> Reads:
    reads = Reads(times)

    async def everyone() -> None:
        timeout = aiohttp.ClientTimeout(total=ANSWER_TIMEOUT_S)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=timeout) as session:
            began = time.perf_counter()
            await asyncio.gather(
                *(
                    _person(session, member, urls[n % len(urls)] + API_PREFIX + Sales.DEALS, times, began, reads)
                    for n, member in enumerate(members)
                )
            )
            reads.wall_s = time.perf_counter() - began

    run_async(everyone())
    return reads


async def _person(
    session: aiohttp.ClientSession, member: Member, url: str, times: int, began: float, reads: Reads
) -> None:
    headers = {"Authorization": f"Bearer {member.token}"}
    for _ in range(times):
        asked = time.perf_counter()
        async with session.get(url, headers=headers) as answer:
            body = await answer.json(content_type=None) if answer.status == 200 else await answer.text()
        done = time.perf_counter()
        if answer.status != 200 or not isinstance(body, list):
            reads.wrong.append(f"{member.email}: {answer.status} {str(body)[:120]}")
            continue
        reads.latencies.append(done - asked)
        reads.done_at.append(done - began)
        reads.shown[member.company] |= {str(record.get("id")) for record in body}
