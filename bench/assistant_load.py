"""Load on the assistant: N authenticated sessions, each asking one question that uses a tool, at once.

    .venv/bin/python -m bench.assistant_load --sessions 1000

Prints sessions, events per second, p50/p95/p99 turn latency (question sent to
answer received), the platform's peak memory, and the count of misrouted,
lost and out-of-order events; writes reports/bench/assistant_load.json.
Sessions belong to ``sessions / 5`` companies with five people each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import threading
import time
from pathlib import Path

import psutil

from support.chat_client import ChatClient
from support.event_contract import broken_rules
from support.personas import PERSONAS
from support.platform_api import PlatformApi
from support.stack.stack import Stack

REPORT = Path("reports/bench/assistant_load.json")
QUESTION = "What is our open pipeline?"


def people(stack: Stack, sessions: int) -> list[str]:
    """Tokens for ``sessions`` people: companies of five, each with one open deal."""
    base, tokens = stack.env["PLATFORM_URL"], []
    admin = PlatformApi(base, admin_key=stack.env["PLATFORM_ADMIN_KEY"])
    for company in range((sessions + 4) // 5):
        slug = f"load-{company}-{os.getpid()}"
        admin.post("/admin/tenants", {"name": slug, "slug": slug, "owner": {
            "email": f"olivia@{slug}.example.com", "name": "Olivia", "password": "load-password"}}).expect_ok("tenant")
        owner = _sign_in(base, slug, "olivia")
        for name, role in list(PERSONAS.items())[1:]:
            owner.post("/users", {"email": f"{name.lower()}@{slug}.example.com", "name": name, "role": role,
                                  "password": "load-password"}).expect_ok("user")
        sales = _sign_in(base, slug, "sam")
        lead = sales.post("/leads", {"company": "Globex", "contact_name": "B", "estimated_value": "1000.00"}).body
        sales.post(f"/leads/{lead['id']}/qualify")
        sales.post(f"/leads/{lead['id']}/convert", {})
        tokens += [_sign_in(base, slug, name.lower())._http.headers["Authorization"][7:] for name in PERSONAS]
        if len(tokens) % 100 == 0 or len(tokens) >= sessions:
            print(f"bench: provisioned {len(tokens)} people", flush=True)
    return tokens[:sessions]


def _sign_in(base: str, slug: str, who: str) -> PlatformApi:
    token = PlatformApi(base).post("/auth/token", {"tenant": slug, "email": f"{who}@{slug}.example.com",
                                                   "password": "load-password"}).expect_ok("sign in")
    return PlatformApi(base, token=token["access_token"])


class PeakMemory:
    def __init__(self, pids: list[int]) -> None:
        self._processes = [psutil.Process(pid) for pid in pids]
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            total = 0
            for process in self._processes:
                try:
                    total += process.memory_info().rss + sum(c.memory_info().rss for c in process.children(True))
                except psutil.NoSuchProcess:
                    pass
            self.peak_bytes = max(self.peak_bytes, total)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


async def session(url: str, token: str, latencies: list[float], problems: dict[str, int]) -> int:
    client = await ChatClient("load", url, token).connect()
    try:
        began = time.monotonic()
        reply = await client.ask(QUESTION)
        if reply["type"] != "accepted":
            problems["refused"] += 1
            return 0
        events = await client.wait_for(reply["run_id"], timeout=300)
        latencies.append(time.monotonic() - began)
        problems["misrouted"] += sum(len(v) for k, v in client.events.items() if k != reply["run_id"])
        problems["lost"] += int(events[-1]["type"] != "agent_completed") + sum(
            1 for a, b in zip(events, events[1:]) if b["seq"] > a["seq"] + 1)
        problems["out_of_order"] += sum(1 for a, b in zip(events, events[1:]) if b["seq"] < a["seq"])
        problems["contract_broken"] += int(bool(broken_rules(events)))
        return len(events)
    except (AssertionError, OSError, asyncio.TimeoutError):
        problems["lost"] += 1
        return 0
    finally:
        await client.close()


async def load(url: str, tokens: list[str]) -> tuple[list[float], dict[str, int], int, float]:
    latencies: list[float] = []
    problems = {"misrouted": 0, "lost": 0, "out_of_order": 0, "contract_broken": 0, "refused": 0}
    began = time.monotonic()
    counts = await asyncio.gather(*(session(url, t, latencies, problems) for t in tokens))
    return latencies, problems, sum(counts), time.monotonic() - began


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    args = parser.parse_args()
    if args.sessions < 1:
        parser.error("--sessions must be at least 1")
    with Stack() as stack:
        tokens = people(stack, args.sessions)
        url = stack.env["PLATFORM_URL"].replace("http", "ws", 1) + "/api/v1/assistant/ws"
        with PeakMemory([stack.platform.process.pid]) as memory:
            latencies, problems, events, wall = asyncio.run(load(url, tokens))
    summary = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "sessions": args.sessions, "answered": len(latencies), "events": events,
        "events_per_second": round(events / wall, 1), "wall_s": round(wall, 2),
        "latency_s": {p: round(percentile(latencies, q), 3) for p, q in (("p50", 50), ("p95", 95), ("p99", 99))},
        "latency_mean_s": round(statistics.mean(latencies), 3) if latencies else None,
        "platform_peak_memory_mb": round(memory.peak_bytes / 2**20, 1), **problems,
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
