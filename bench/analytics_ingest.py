"""Times the analytics ingestion: business events recorded in the audit trail until the store holds them all,
against the store taking the same rows straight from memory (the yardstick), in one run.

    .venv/bin/python -m bench.analytics_ingest --events 50000

The events are written to one company's trail in one transaction (as if that many had happened at once); the
platform's own ingester copies them (through its lease, in its blocks); the clock stops when the store holds
every one. The yardstick inserts the same number of rows into the store in blocks of the ingester's size.
Prints events a second of each and their ratio, and records the figure.
"""

from __future__ import annotations

import argparse
import json
import time
import uuid

import psycopg
import requests

from app.service_layer.analytics import BATCH
from bench import figures
from support.scenario.config import SpecConfig
from support.scenario.eventually import eventually
from support.scenario.tenants import Tenant
from support.stack.stack import Stack

BLOCK = BATCH  # the ingester's block


def append_leads(conn: psycopg.Connection, company: str, after_seq: int, count: int) -> int:
    """``count`` captured-lead events appended to the company's trail after ``after_seq``, in the caller's
    transaction; returns the last seq."""
    last = after_seq + count
    conn.execute(
        "INSERT INTO audit_entries (id, tenant_id, seq, action, actor_id, entity_type, entity_id, occurred_at,"
        " data, prev_hash, hash) SELECT gen_random_uuid(), %s, s, 'lead_captured', NULL, 'lead',"
        " gen_random_uuid()::text, now(), jsonb_build_object('amount', '100.00', 'currency', 'EUR'), '', ''"
        " FROM generate_series(%s::bigint, %s::bigint) AS s",
        (company, after_seq + 1, last),
    )
    conn.execute("UPDATE tenants SET audit_seq = %s WHERE id = %s", (last, company))
    return last


def record_events(database_url: str, company: str, count: int) -> None:
    """``count`` captured-lead events appended to the company's trail in one transaction (the seqs follow on)."""
    with psycopg.connect(database_url) as conn:
        seq = conn.execute("SELECT audit_seq FROM tenants WHERE id = %s FOR UPDATE", (company,)).fetchone()[0]
        append_leads(conn, company, seq, count)


def lead_rows(company: str, first_seq: int, count: int) -> list[str]:
    """``count`` captured-lead events of ``company`` as the store's rows (JSON lines), seqs from ``first_seq``."""
    return [
        json.dumps(
            {
                "company": company,
                "event_id": str(uuid.uuid4()),
                "seq": seq,
                "action": "lead_captured",
                "subject": str(uuid.uuid4()),
                "occurred_at": "2026-12-03 10:00:00.000000",
                "amount": "100.00",
                "currency": "EUR",
            }
        )
        for seq in range(first_seq, first_seq + count)
    ]


def held(store_url: str, company: str) -> int:
    sql = "SELECT count() FROM events FINAL WHERE company = {company:UUID} AND action = 'lead_captured' FORMAT TSV"
    answer = requests.post(store_url, params={"param_company": company}, data=sql.encode(), timeout=30)
    answer.raise_for_status()
    return int(answer.text.strip())


def yardstick(store_url: str, count: int) -> float:
    """Seconds the store takes to insert ``count`` rows sent in blocks of BLOCK, made in memory."""
    rows = lead_rows(str(uuid.uuid4()), 1, count)
    began = time.perf_counter()
    for start in range(0, count, BLOCK):
        body = "INSERT INTO events FORMAT JSONEachRow\n" + "\n".join(rows[start : start + BLOCK]) + "\n"
        requests.post(store_url, data=body.encode(), timeout=60).raise_for_status()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000, help="events recorded at once (default 50,000)")
    args = parser.parse_args()
    if args.events < 1:
        parser.error("--events must be at least 1")
    with Stack({}) as stack:
        config = SpecConfig.of(stack.env)
        company = Tenant.provision(config, "bench analytics ingestion").id
        store = stack.env["ANALYTICS_URL"].rstrip("/") + "/"
        eventually(lambda: _assert_equal(held(store, company), 0), timeout=30)
        record_events(stack.env["DATABASE_URL"], company, args.events)
        began = time.perf_counter()
        eventually(lambda: _assert_equal(held(store, company), args.events), timeout=600, interval=0.05)
        ingest_s = time.perf_counter() - began
        direct_s = yardstick(store, args.events)
    run = {
        "events": args.events,
        "ingested_per_s": args.events / ingest_s,
        "direct_per_s": args.events / direct_s,
    }
    run["ratio"] = run["direct_per_s"] / run["ingested_per_s"]
    print(
        f"{args.events} events: ingested at {run['ingested_per_s']:,.0f}/s (trail to store), the store alone took "
        f"them at {run['direct_per_s']:,.0f}/s: the ingestion is {run['ratio']:.2f}x slower than the store's insert"
    )
    runs = figures.runs_alike("analytics_ingest", run, "events")
    figures.record(
        "analytics_ingest",
        order=60,
        what="analytics ingestion: events recorded at once in a company's audit trail until the store (embedded"
        " chDB) holds them all, against the store inserting the same rows from memory in the same blocks",
        figure=" and ".join(
            f"{r['ingested_per_s']:,.0f} vs {r['direct_per_s']:,.0f} events/s (**{r['ratio']:.2f}×**)"
            for r in runs[-2:]
        )
        + f", {args.events:,} events",
        command=f".venv/bin/python -m bench.analytics_ingest --events {args.events}",
        runs=runs,
    )


def _assert_equal(seen: int, wanted: int) -> None:
    assert seen == wanted, f"{seen} of {wanted} events in the store"


if __name__ == "__main__":
    main()
