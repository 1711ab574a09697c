"""Times the analytics ingestion held at a steady rate: business events recorded in the audit trail at
5,000 a second for a minute, each timed until the store can answer for it, against the same rows inserted
straight into the same store at the same rate (the yardstick), in one run.

    .venv/bin/python -m bench.analytics_sustained --rate 5000 --seconds 60

Every tenth of a second one transaction appends the tick's events (rate / 10) to a company's trail, as the
platform writes them (seq after seq, in the transaction of the change); the platform's own ingester copies
them. A watcher asks the store, every 20 ms, how far it holds the company's events; a tick's lag is from its
commit to the first answer that holds all of it. The yardstick inserts each tick's rows into the store itself
and its lag is that insert's round trip. Prints the rate kept, the lag p50/p95 of both, the store process's
memory at the end, and records the figure. The rate is kept only if the store holds every event by the end
and the lag did not grow without bound (the last second's p95 within twice the whole run's).
"""

from __future__ import annotations

import argparse
import threading
import time
import uuid
from dataclasses import dataclass, field

import psutil
import psycopg
import requests

from bench import figures
from bench.analytics_ingest import append_leads, lead_rows
from support.scenario.config import SpecConfig
from support.scenario.tenants import Tenant
from support.stack.stack import Stack

TICK_S = 0.1
WATCH_S = 0.02


@dataclass
class Lags:
    """Each tick's lag in milliseconds, by the second it was written in."""

    by_tick: list[tuple[float, float]] = field(default_factory=list)  # (seconds into the run, lag ms)
    events: int = 0  # events written
    writing_s: float = 0.0  # from the first tick to the last commit

    def add(self, at_s: float, lag_ms: float) -> None:
        self.by_tick.append((at_s, lag_ms))

    def percentile(self, share: float, *, since_s: float = 0.0) -> float:
        return figures.percentile([lag for at, lag in self.by_tick if at >= since_s], share)


def stored_seq(store_url: str, company: str) -> int:
    """The last seq of the company's events the store can answer for."""
    sql = "SELECT max(seq) FROM events WHERE company = {company:UUID} FORMAT TSV"
    answer = requests.post(store_url, params={"param_company": company}, data=sql.encode(), timeout=30)
    answer.raise_for_status()
    return int(answer.text.strip() or 0)


def through_the_platform(database_url: str, store_url: str, company: str, rate: int, seconds: float) -> Lags:
    """Appends rate * TICK_S events to the company's trail each tick; returns each tick's lag to the store."""
    per_tick = max(1, int(rate * TICK_S))
    committed: list[tuple[int, float]] = []  # (last seq of the tick, when it committed)
    lags, done = Lags(), threading.Event()
    began = time.perf_counter()

    def watch() -> None:
        waiting = 0  # index of the first tick not yet seen whole in the store
        while not done.is_set() or waiting < len(committed):
            held, now = stored_seq(store_url, company), time.perf_counter()
            while waiting < len(committed) and committed[waiting][0] <= held:
                at = committed[waiting][1]
                lags.add(at - began, (now - at) * 1000)
                waiting += 1
            if done.is_set() and time.perf_counter() - began > seconds + 120:
                raise TimeoutError(f"the store holds seq {held}, the trail reached {committed[-1][0]}")
            time.sleep(WATCH_S)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    with psycopg.connect(database_url, autocommit=False) as conn:
        seq = conn.execute("SELECT audit_seq FROM tenants WHERE id = %s", (company,)).fetchone()[0]
        conn.rollback()
        tick = 0
        while (due := began + tick * TICK_S) < began + seconds:
            time.sleep(max(0.0, due - time.perf_counter()))
            seq = append_leads(conn, company, seq, per_tick)
            conn.commit()
            committed.append((seq, time.perf_counter()))
            tick += 1
    lags.events, lags.writing_s = len(committed) * per_tick, committed[-1][1] - began
    done.set()
    watcher.join()
    return lags


def straight_into_the_store(store_url: str, rate: int, seconds: float) -> Lags:
    """The yardstick: each tick's rows inserted by the bench itself; a tick's lag is the insert's round trip."""
    per_tick, company, lags = max(1, int(rate * TICK_S)), str(uuid.uuid4()), Lags()
    began, tick, seq = time.perf_counter(), 0, 0
    while (due := began + tick * TICK_S) < began + seconds:
        time.sleep(max(0.0, due - time.perf_counter()))
        rows = lead_rows(company, seq + 1, per_tick)
        seq += per_tick
        sent = time.perf_counter()
        body = "INSERT INTO events FORMAT JSONEachRow\n" + "\n".join(rows) + "\n"
        requests.post(store_url, data=body.encode(), timeout=60).raise_for_status()
        lags.add(sent - began, (time.perf_counter() - sent) * 1000)
        tick += 1
    return lags


def store_memory_mb(stack: Stack) -> float:
    assert stack.analytics is not None and stack.analytics.process is not None
    process = psutil.Process(stack.analytics.process.pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=5_000, help="events a second (default 5,000)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the rate is held (default 60)")
    args = parser.parse_args()
    if args.rate < 10 or args.seconds < 1:
        parser.error("--rate must be at least 10 and --seconds at least 1")
    with Stack({}) as stack:
        config = SpecConfig.of(stack.env)
        company = Tenant.provision(config, "bench sustained analytics ingestion").id
        store = stack.env["ANALYTICS_URL"].rstrip("/") + "/"
        print(f"analytics_sustained: {args.rate:,} events/s into the trail for {args.seconds:.0f} s ...", flush=True)
        platform = through_the_platform(stack.env["DATABASE_URL"], store, company, args.rate, args.seconds)
        written = stored_seq(store, company)
        memory = store_memory_mb(stack)
        print("analytics_sustained: the same rows straight into the store ...", flush=True)
        direct = straight_into_the_store(store, args.rate, args.seconds)
    kept = platform.events / platform.writing_s
    run = {
        "rate": args.rate,
        "seconds": args.seconds,
        "events": platform.events,
        "stored": written,
        "kept_per_s": round(kept),
        "lag_p50_ms": round(platform.percentile(0.50), 1),
        "lag_p95_ms": round(platform.percentile(0.95), 1),
        "last_second_p95_ms": round(platform.percentile(0.95, since_s=args.seconds - 1), 1),
        "direct_p50_ms": round(direct.percentile(0.50), 1),
        "direct_p95_ms": round(direct.percentile(0.95), 1),
        "store_memory_mb": round(memory),
    }
    run["steady"] = run["last_second_p95_ms"] <= 2 * run["lag_p95_ms"]
    print(
        f"{platform.events:,} events at {args.rate:,}/s for {args.seconds:.0f} s: lag p50 {run['lag_p50_ms']} ms, "
        f"p95 {run['lag_p95_ms']} ms (last second {run['last_second_p95_ms']} ms; "
        f"{'steady' if run['steady'] else 'GROWING'}), against the store's own insert p50 {run['direct_p50_ms']} ms, "
        f"p95 {run['direct_p95_ms']} ms; {run['kept_per_s']:,} events/s written; "
        f"store process {run['store_memory_mb']} MB"
    )
    runs = figures.runs_alike("analytics_sustained", run, "rate", "seconds")
    figures.record(
        "analytics_sustained",
        order=63,
        what="analytics ingestion held at a rate: events appended to a company's audit trail every 100 ms until"
        " the store can answer for them (lag p50/p95), against the same rows inserted straight into the store at"
        " the same rate (the insert's round trip); the store process's memory at the end",
        figure=" and ".join(
            f"{r['kept_per_s']:,} events/s kept, lag p50 {r['lag_p50_ms']} / p95 {r['lag_p95_ms']} ms vs the store's"
            f" own {r['direct_p50_ms']} / {r['direct_p95_ms']} ms, {r['store_memory_mb']} MB"
            f"{'' if r['steady'] else ' (lag growing)'}"
            for r in runs[-2:]
        ),
        command=f".venv/bin/python -m bench.analytics_sustained --rate {args.rate} --seconds {args.seconds:.0f}",
        runs=runs,
    )


if __name__ == "__main__":
    main()
