"""The CPU one platform instance spends on each read of a company's deals, measured on the embedded stack.

    .venv/bin/python -m bench.read_cpu --reads 600 --rounds 3 [--profile reports/bench/read-profile.txt]

Eight people of two companies each read their company's deals ``--reads`` times, one answer after another,
all at once, from the first instance; the figure is that instance's CPU over the round divided by the reads,
the median of the rounds printed. ``--profile`` samples the instance with py-spy over the last round
(requirements-bench.txt) and prints where its time went (``bench.profile_summary``). To compare two trees,
run it in a worktree of each, alternated.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

import aiohttp
import psutil

from bench.profile_summary import Profiles, shares
from support.areas.assistant.crowd import Member, crowd
from support.stack.stack import Stack

PEOPLE = (2, 4)  # companies, people in each
WARM_UP_READS = 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=600, help="reads per person a round (default 600)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, the median printed (default 3)")
    parser.add_argument("--profile", type=Path, help="py-spy's raw samples of the last round go to this file")
    args = parser.parse_args()
    if args.reads < 1 or args.rounds < 1:
        parser.error("--reads and --rounds must be at least 1")
    with Stack() as stack:
        base = stack.env["PLATFORM_URL"]
        people = crowd(base, stack.env["PLATFORM_ADMIN_KEY"], companies=PEOPLE[0], per_company=PEOPLE[1], label="reads")
        served = stack.platform
        assert served is not None and served.process is not None, "the stack serves the platform"
        instance = psutil.Process(served.process.pid)
        url = f"{base}/api/v1/opportunities"
        asyncio.run(_read(url, people, WARM_UP_READS))
        rounds = []
        for n in range(args.rounds):
            sampled = {instance.pid: args.profile} if args.profile and n == args.rounds - 1 else {}
            with Profiles(sampled):
                rounds.append(_round(url, people, args.reads, instance))
    cpu = [ms for ms, _ in rounds]
    print(
        f"instance CPU per read: {statistics.median(cpu):.2f} ms (median of {args.rounds} rounds of "
        f"{len(people)} x {args.reads}: {', '.join(f'{ms:.2f} ms in {wall:.1f} s' for ms, wall in rounds)})"
    )
    if args.profile:
        for layer, share in shares(args.profile.read_text()).items():
            print(f"  {share:6.1%}  {layer}")


def _round(url: str, people: list[Member], reads: int, instance: psutil.Process) -> tuple[float, float]:
    """The instance's CPU milliseconds a read, and the round's seconds."""
    time.sleep(1)  # whatever the instance was doing settles
    before, began = instance.cpu_times(), time.monotonic()
    asyncio.run(_read(url, people, reads))
    after, wall = instance.cpu_times(), time.monotonic() - began
    spent = (after.user + after.system) - (before.user + before.system)
    return spent * 1000 / (len(people) * reads), wall


async def _read(url: str, people: list[Member], reads: int) -> None:
    async def one(person: Member) -> None:
        headers = {"Authorization": f"Bearer {person.token}"}
        for _ in range(reads):
            async with session.get(url, headers=headers) as answer:
                await answer.read()
                if answer.status != 200:
                    raise SystemExit(f"read_cpu: a read was answered {answer.status}: {await answer.text()}")

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(one(person) for person in people))


if __name__ == "__main__":
    main()
