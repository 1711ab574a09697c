"""Soak: Locust users run the lead-to-cash journey for a fixed time against the embedded stack.

    make soak                                  # 20 users, 60 s
    .venv/bin/python -m bench.soak --users 40 --seconds 300 --processes 2

``--processes`` runs Locust distributed over that many worker processes (one
machine); to spread over several machines run Locust's own master and workers
with ``bench/soak_locustfile.py`` against PLATFORM_URL. Prints journeys per
second, p95 per operation and the errors, then checks the steady state of
every company the soak made: acknowledged payments lost, charges recorded
twice or never, records nobody wrote, paid amounts not matching payments.
Exit code 0 only with zero errors and nothing lost. Writes
reports/bench/soak.json (and Locust's final stats, soak_stats.json, beside it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlalchemy import text

from support.clients.database_engine import engine as database_engine
from support.stack.stack import Stack

OUT = Path("reports/bench")
SOAK_TENANTS = "SELECT id FROM tenants WHERE name LIKE 'soak %'"
COUNTS = {
    "leads": "SELECT count(*) FROM leads WHERE tenant_id::text = ANY(:tenants)",
    "invoices": "SELECT count(*) FROM invoices WHERE tenant_id::text = ANY(:tenants)",
    "payments": "SELECT count(*) FROM payments WHERE tenant_id::text = ANY(:tenants)",
    "charges recorded twice": "SELECT count(*) FROM (SELECT processor_charge_id FROM payments WHERE "
    "tenant_id::text = ANY(:tenants) GROUP BY 1 HAVING count(*) > 1) twice",
    "paid amounts not matching payments": (
        "SELECT count(*) FROM invoices i WHERE i.tenant_id::text = ANY(:tenants) AND i.amount_paid <> COALESCE("
        "(SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = i.id), 0)"
    ),
}


def run_locust(stack: Stack, users: int, seconds: int, processes: int) -> dict[str, dict[str, int]]:
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        "bench/soak_locustfile.py",
        "--headless",
        "--only-summary",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{seconds}s",
        "--host",
        stack.env["PLATFORM_URL"],
        "--json-file",
        str(OUT / "soak_stats"),
        "--stop-timeout",
        "30",
        "--exit-code-on-error",
        "0",
    ]
    if processes > 1:
        command += ["--processes", str(processes)]
    print(f"soak: {users} users for {seconds} s: {' '.join(command[2:])}", flush=True)
    subprocess.run(command, check=True, env={**os.environ, **stack.env, "PYTHONPATH": "."})
    entries = json.loads((OUT / "soak_stats.json").read_text())  # written after the last request ended
    stats = {f"{e['method']} {e['name']}": _summary(e) for e in entries}
    every = [e for e in entries if e["method"] != "JOURNEY"]
    stats["Aggregated"] = _summary(
        {
            "num_requests": sum(e["num_requests"] for e in every),
            "num_failures": sum(e["num_failures"] for e in every),
            "response_times": _merged(e["response_times"] for e in every),
        }
    )
    return stats


def _merged(histograms) -> dict[str, int]:
    merged: dict[str, int] = {}
    for histogram in histograms:
        for ms, count in histogram.items():
            merged[ms] = merged.get(ms, 0) + count
    return merged


def _summary(entry: dict) -> dict[str, int]:
    """Requests, failures and the 95th percentile (ms) from Locust's response-time histogram."""
    times = sorted((float(ms), count) for ms, count in entry["response_times"].items())
    wanted, seen, p95 = 0.95 * sum(count for _, count in times), 0, 0.0
    for ms, count in times:
        seen += count
        if seen >= wanted:
            p95 = ms
            break
    return {"requests": entry["num_requests"], "failures": entry["num_failures"], "p95_ms": round(p95)}


def steady_state(stack: Stack, stats: dict[str, dict[str, int]]) -> dict[str, int]:
    engine = database_engine(stack.env["DATABASE_URL"])  # a primary and its standby's seat: libpq reads both
    with engine.connect() as conn:
        tenants = [str(row[0]) for row in conn.execute(text(SOAK_TENANTS))]
        among = {"tenants": tenants}
        counts = {name: conn.execute(text(sql), among).scalar_one() for name, sql in COUNTS.items()}
        invoices = [
            str(row[0])
            for row in conn.execute(text("SELECT id FROM invoices WHERE tenant_id::text = ANY(:tenants)"), among)
        ]
        recorded = {
            row[0]
            for row in conn.execute(
                text("SELECT processor_charge_id FROM payments WHERE tenant_id::text = ANY(:tenants)"), among
            )
        }
    engine.dispose()
    charges = requests.get(stack.env["PAYMENT_PROCESSOR_URL"] + "/v1/charges", timeout=30).json()
    wanted = {f"invoice {i}" for i in invoices}
    charged = {c["id"] for c in charges if c["description"] in wanted}

    def succeeded(key: str) -> int:
        row = stats.get(key, {"requests": 0, "failures": 0})
        return row["requests"] - row["failures"]

    acknowledged_payments = succeeded("POST /api/v1/invoices/{id}/payments")
    return {
        "companies": len(tenants),
        "acknowledged payments lost": max(0, acknowledged_payments - counts["payments"]),
        "charges never recorded": len(charged - recorded),
        "charges recorded twice": counts["charges recorded twice"],
        "records nobody wrote": (
            max(0, counts["leads"] - succeeded("POST /api/v1/leads"))
            + max(0, counts["invoices"] - succeeded("POST /api/v1/invoices"))
            + max(0, counts["payments"] - acknowledged_payments)
        ),
        "paid amounts not matching payments": counts["paid amounts not matching payments"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--processes", type=int, default=1, help="Locust worker processes (distributed run)")
    args = parser.parse_args()
    if args.users < 1 or args.seconds < 1 or args.processes < 1:
        parser.error("--users, --seconds and --processes must be at least 1")
    OUT.mkdir(parents=True, exist_ok=True)
    with Stack() as stack:
        began = time.monotonic()
        stats = run_locust(stack, args.users, args.seconds, args.processes)
        wall = time.monotonic() - began
        state = steady_state(stack, stats)
    journeys = stats.get("JOURNEY lead-to-cash", {"requests": 0, "failures": 0})
    total = stats["Aggregated"]
    per_operation = {name: row for name, row in stats.items() if name != "Aggregated"}
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "users": args.users,
        "seconds": args.seconds,
        "processes": args.processes,
        "journeys": journeys["requests"],
        "journeys_failed": journeys["failures"],
        "journeys_per_second": round(journeys["requests"] / args.seconds, 2),
        "requests": total["requests"],
        "errors": total["failures"] + journeys["failures"],
        "p95_ms_all_requests": total["p95_ms"],
        "per_operation": per_operation,
        "steady_state": state,
        "wall_seconds": round(wall, 1),
    }
    (OUT / "soak.json").write_text(json.dumps(result, indent=2))
    print(
        f"\nsoak: {result['journeys']} journeys in {args.seconds} s = {result['journeys_per_second']} per second; "
        f"{result['requests']} requests, {result['errors']} errors"
    )
    print(f"{'operation':<48} {'requests':>9} {'failures':>9} {'p95 ms':>8}")
    for name, row in sorted(per_operation.items()):
        print(f"{name:<48} {row['requests']:>9} {row['failures']:>9} {row['p95_ms']:>8}")
    print("steady state:")
    for name, value in state.items():
        print(f"  {name}: {value}")
    nothing_lost = all(value == 0 for name, value in state.items() if name != "companies")
    ok = result["errors"] == 0 and nothing_lost
    print(f"soak: {'PASS' if ok else 'FAIL'} (bar: zero errors and nothing lost); reports/bench/soak.json")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
