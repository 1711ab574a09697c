"""Times the audit trail's verification for a trail of N entries against one of 2N, in one run: it should grow
linearly (a ratio near 2).

    .venv/bin/python -m bench.audit_verify --entries 20000

Two companies get their trails written straight to the database as a chain the platform would seal (each
entry's hash over the one before, ``app.domain.audit.entry_hash``); then the owner of each asks the platform to
verify it, three times, and the medians are compared. Prints both and their ratio, and records the figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

import psycopg

from app.domain.audit import AuditRecord, entry_hash
from bench import figures
from support.clients.paths import Compliance
from support.scenario.config import SpecConfig
from support.scenario.personas import OWNER_PERSONA
from support.scenario.tenants import Tenant
from support.stack.stack import Stack


def write_chain(database_url: str, company: str, count: int) -> None:
    """``count`` entries sealed after the company's own, in one transaction."""
    with psycopg.connect(database_url) as conn:
        seq, head = conn.execute(
            "SELECT audit_seq, audit_head FROM tenants WHERE id = %s FOR UPDATE", (company,)
        ).fetchone()
        start = datetime.now(UTC)
        rows = []
        for n in range(1, count + 1):
            record = AuditRecord(
                seq=seq + n,
                action="lead_captured",
                actor_id=None,
                entity_type="lead",
                entity_id=str(uuid.uuid4()),
                occurred_at=start + timedelta(microseconds=n),
                data={"amount": "100.00", "currency": "EUR"},
            )
            digest = entry_hash(head, record)
            rows.append(
                (
                    str(uuid.uuid4()),
                    company,
                    record.seq,
                    record.action,
                    record.entity_type,
                    record.entity_id,
                    record.occurred_at,
                    json.dumps(record.data),
                    head,
                    digest,
                )
            )
            head = digest
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO audit_entries (id, tenant_id, seq, action, entity_type, entity_id, occurred_at, data,"
                " prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
        conn.execute("UPDATE tenants SET audit_seq = %s, audit_head = %s WHERE id = %s", (seq + count, head, company))


def verify_seconds(tenant: Tenant, runs: int = 3) -> float:
    owner = tenant.actor(OWNER_PERSONA)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        answer = owner.api.get(Compliance.AUDIT_VERIFY).expect_ok("verifying the trail")
        times.append(time.perf_counter() - began)
        assert answer.get("intact") is True, answer
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000, help="entries of the smaller trail (default 20,000)")
    args = parser.parse_args()
    if args.entries < 1:
        parser.error("--entries must be at least 1")
    with Stack({}) as stack:
        config = SpecConfig.of(stack.env)
        small, large = (Tenant.provision(config, f"bench audit {n}") for n in (1, 2))
        write_chain(stack.env["DATABASE_URL"], small.id, args.entries)
        write_chain(stack.env["DATABASE_URL"], large.id, 2 * args.entries)
        small_s, large_s = verify_seconds(small), verify_seconds(large)
    run = {"entries": args.entries, "small_s": small_s, "large_s": large_s, "ratio": large_s / small_s}
    print(
        f"verifying {args.entries:,} entries took {small_s:.2f} s, {2 * args.entries:,} took {large_s:.2f} s:"
        f" {run['ratio']:.2f}x for twice the entries"
    )
    runs = figures.runs_alike("audit_verify", run, "entries")
    figures.record(
        "audit_verify",
        order=61,
        what="the audit trail verified (every hash recomputed) for a trail of N entries and of 2N, medians of three"
        " each, in one run: linear growth shows as a ratio near 2",
        figure=" and ".join(f"{r['small_s']:.2f} vs {r['large_s']:.2f} s (**{r['ratio']:.2f}×**)" for r in runs[-2:])
        + f", {args.entries:,} and {2 * args.entries:,} entries",
        command=f".venv/bin/python -m bench.audit_verify --entries {args.entries}",
        runs=runs,
    )


if __name__ == "__main__":
    main()
