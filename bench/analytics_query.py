"""Times the analytics' reads over a large store: a company's funnel over one million events, asked of the
platform (GET /analytics/funnel, as its owner: its stages and its campaigns, two queries), against the
stages' query asked of the store itself (the yardstick), in one run.

    .venv/bin/python -m bench.analytics_query --events 1000000 --reads 30

The events (leads captured, qualified, deals won, invoices issued, payments; a tenth of them in campaigns)
go straight into the store in blocks, spread over the last 28 days; the store's merges are left to run, as
they would in use. Then each read is timed, the platform's and the store's alternately. Prints p50/p95 of
both and records the figure; the seeds' target is the funnel in under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import time
import uuid
from datetime import UTC, datetime, timedelta

import requests

from app.domain.analytics import FUNNEL
from app.service_layer.analytics import FUNNEL_STAGES
from bench import figures
from support.scenario.config import SpecConfig
from support.scenario.personas import OWNER_PERSONA
from support.scenario.tenants import Tenant
from support.stack.stack import Stack

BLOCK = 100_000
DAYS = 28


def fill(store_url: str, company: str, events: int) -> None:
    """``events`` funnel events of the company, over the last DAYS days, inserted in blocks of BLOCK."""
    actions, now = list(FUNNEL.values()), datetime.now(UTC)
    pick = random.Random(7)
    for start in range(0, events, BLOCK):
        rows = []
        for n in range(start, min(events, start + BLOCK)):
            at = now - timedelta(seconds=pick.uniform(0, DAYS * 86_400))
            rows.append(
                json.dumps(
                    {
                        "company": company,
                        "event_id": str(uuid.uuid4()),
                        "seq": n + 1_000,
                        "action": actions[n % len(actions)],
                        "subject": str(uuid.UUID(int=pick.getrandbits(128))),
                        "occurred_at": at.strftime("%Y-%m-%d %H:%M:%S.%f"),
                        "amount": "100.00",
                        "currency": "EUR",
                        "campaign": f"campaign-{n % 7}" if n % 10 == 0 else "",
                    }
                )
            )
        body = "INSERT INTO events FORMAT JSONEachRow\n" + "\n".join(rows) + "\n"
        requests.post(store_url, data=body.encode(), timeout=300).raise_for_status()
        print(f"analytics_query: {min(events, start + BLOCK):,} of {events:,} events in the store", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="events in the store (default 1,000,000)")
    parser.add_argument("--reads", type=int, default=30, help="reads of each kind timed (default 30)")
    args = parser.parse_args()
    if args.events < 1 or args.reads < 1:
        parser.error("--events and --reads must be at least 1")
    with Stack({}) as stack:
        config = SpecConfig.of(stack.env)
        tenant = Tenant.provision(config, "bench analytics query")
        owner = tenant.actor(OWNER_PERSONA)
        store = stack.env["ANALYTICS_URL"].rstrip("/") + "/"
        fill(store, tenant.id, args.events)
        today = datetime.now(UTC).date()
        first = today - timedelta(days=DAYS)
        span = {"from": first.isoformat(), "days": str(DAYS + 1)}
        params = {
            "param_company": tenant.id,
            "param_start": f"{first} 00:00:00",
            "param_end": f"{today + timedelta(days=1)} 00:00:00",
            "param_actions": "[" + ",".join(f"'{a}'" for a in FUNNEL.values()) + "]",
            "param_paid": FUNNEL["paid"],
        }
        platform_ms: list[float] = []
        store_ms: list[float] = []
        counted = 0
        for _ in range(args.reads + 1):  # the first of each warms up, and is not counted
            began = time.perf_counter()
            funnel = owner.api.get("/analytics/funnel", **span).expect_ok("reading the funnel")
            platform_ms.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            requests.post(
                store, params=params, data=(FUNNEL_STAGES + " FORMAT JSONEachRow").encode(), timeout=60
            ).raise_for_status()
            store_ms.append((time.perf_counter() - began) * 1000)
            counted = sum(stage["count"] for stage in funnel["stages"] if stage["stage"] != "paid")
        platform_ms, store_ms = platform_ms[1:], store_ms[1:]
    run = {
        "events": args.events,
        "reads": args.reads,
        "counted": counted,
        "platform_p50_ms": round(figures.percentile(platform_ms, 0.5), 1),
        "platform_p95_ms": round(figures.percentile(platform_ms, 0.95), 1),
        "store_p50_ms": round(figures.percentile(store_ms, 0.5), 1),
        "store_p95_ms": round(figures.percentile(store_ms, 0.95), 1),
    }
    print(
        f"the funnel over {args.events:,} events ({counted:,} counted in its first four stages): through the platform"
        f" p50 {run['platform_p50_ms']} ms, p95 {run['platform_p95_ms']} ms; the store alone p50"
        f" {run['store_p50_ms']} ms, p95 {run['store_p95_ms']} ms ({args.reads} reads each)"
    )
    runs = figures.runs_alike("analytics_query", run, "events", "reads")
    figures.record(
        "analytics_query",
        order=64,
        what="analytics reads: a company's funnel over a store of its events, asked of the platform (GET"
        " /analytics/funnel, as its owner) against the same query asked of the store itself",
        figure=" and ".join(
            f"p50 {r['platform_p50_ms']} / p95 {r['platform_p95_ms']} ms through the platform vs"
            f" {r['store_p50_ms']} / {r['store_p95_ms']} ms at the store"
            for r in runs[-2:]
        )
        + f", {args.events:,} events",
        command=f".venv/bin/python -m bench.analytics_query --events {args.events} --reads {args.reads}",
        runs=runs,
    )


if __name__ == "__main__":
    main()
