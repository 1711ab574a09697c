"""What a card payment costs the platform: its instances' CPU seconds per payment taken.

    .venv/bin/python -m bench.payment_cpu --payments 400 --clients 8 --rounds 3

One company's finance officer pays ``--clients`` issued invoices over both instances (each client its own
invoice on its own instance in turn, 1.00 EUR at a time, each payment with a key of its own), ``--clients`` at a
time; the instances' CPU (with their children) over the payments is divided by the payments taken, each round
apart, the median printed with the wall time. It runs on whichever tree it is started in: to compare two trees,
``bench/paired_payments.sh COMMIT`` alternates them in one invocation.
"""

from __future__ import annotations

import argparse
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import psutil

from support.clients.platform_api import PlatformApi
from support.clients.processor_reader import APPROVED_CARD
from support.scenario import builders
from support.scenario.actors import Actor, card_payment
from support.scenario.config import SpecConfig
from support.scenario.personas import FINANCE_PERSONA, SALES_PERSONA
from support.scenario.tenants import Tenant
from support.stack.process_usage import ProcessUsage
from support.stack.stack import Stack

NET = Decimal("100000.00")  # each invoice owes far more than a round pays, 1.00 EUR at a time
PAYMENT = Decimal("1.00")


def issued_invoice(seller: Actor, biller: Actor, client: str) -> dict[str, Any]:
    lead = seller.qualifies(seller.captures_lead(client, NET, "EUR"))
    deal = seller.wins(seller.converts(lead).expect_ok(f"{seller.name} turning the lead into a deal"))
    line = builders.invoice_line(description=deal["title"], unit_price=f"{NET:.2f}", tax_rate="0")
    return biller.issues(biller.drafts_invoice(deal["project_id"], [line]))


def round_of_payments(apis: list[PlatformApi], invoices: list[dict[str, Any]], payments: int, pids: list[int]) -> dict:
    """``payments`` payments spread over the invoices, each client paying its own; the platform's CPU per payment."""

    def client(index: int) -> int:
        taken = 0
        for _ in range(index, payments, len(invoices)):
            answer = card_payment(
                apis[index], invoices[index]["id"], PAYMENT, APPROVED_CARD, builders.idempotency_key()
            )
            taken += answer.status == 201
        return taken

    began = time.perf_counter()
    with ProcessUsage([psutil.Process(pid) for pid in pids]) as usage, ThreadPoolExecutor(len(invoices)) as pool:
        taken = sum(pool.map(client, range(len(invoices))))
    wall = time.perf_counter() - began
    if taken != payments:
        raise SystemExit(f"payment-cpu: {payments - taken} of {payments} payments were not taken")
    return {"cpu_ms": (usage.cpu_s or 0) * 1000 / taken, "per_s": taken / wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=400, help="payments a round (default 400)")
    parser.add_argument("--clients", type=int, default=8, help="clients paying at once, an invoice each (default 8)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, the median printed (default 3)")
    args = parser.parse_args()
    if min(args.payments, args.clients, args.rounds) < 1:
        parser.error("--payments, --clients and --rounds must be at least 1")
    with Stack() as stack:
        urls = [url for url in stack.env["PLATFORM_URLS"].split(",") if url]
        tenant = Tenant.provision(
            SpecConfig(platform_url=urls[0], admin_key=stack.env["PLATFORM_ADMIN_KEY"]), "payment cpu"
        )
        seller, biller = tenant.actor(SALES_PERSONA), tenant.actor(FINANCE_PERSONA)
        invoices = [issued_invoice(seller, biller, f"Client {n}") for n in range(args.clients)]
        apis = [PlatformApi(urls[n % len(urls)], token=biller.token) for n in range(args.clients)]
        pids = [s.process.pid for s in (stack.platform, stack.platform_2) if s is not None and s.process]
        round_of_payments(apis, invoices, args.clients * 5, pids)  # connections made, code warmed
        rounds = [round_of_payments(apis, invoices, args.payments, pids) for _ in range(args.rounds)]
    cpu = [r["cpu_ms"] for r in rounds]
    rate = [r["per_s"] for r in rounds]
    print(
        f"payment-cpu: {statistics.median(cpu):.2f} ms of platform CPU a payment, {statistics.median(rate):.1f} "
        f"payments a second (median of {args.rounds} rounds of {args.payments} by {args.clients} clients: "
        f"{', '.join(f'{c:.2f} ms' for c in cpu)}; {', '.join(f'{r:.1f}/s' for r in rate)})"
    )


if __name__ == "__main__":
    main()
