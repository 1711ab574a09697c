"""The whole lead-to-cash journey as one call, for work repeated many times (leak check, soak).

Lead captured, qualified, converted, won; the project invoiced, issued and
paid in full by card. It keeps nothing in a scenario's memory, so many run at
once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from support.clients.processor_reader import APPROVED_CARD
from support.scenario import builders
from support.scenario.actors import Actor


def lead_to_cash(seller: Actor, biller: Actor, company: str, net: Decimal, tax_rate: str = "21") -> dict[str, Any]:
    """Runs the journey; returns the payment (status 201 expected) with the invoice it paid."""
    lead = seller.qualifies(seller.captures_lead(company, net, "EUR"))
    deal = seller.wins(seller.converts(lead).expect_ok(f"{seller.name} turning the lead into a deal"))
    invoice = biller.issues(
        biller.drafts_invoice(
            deal["project_id"],
            [builders.invoice_line(description=deal["title"], unit_price=f"{net:.2f}", tax_rate=tax_rate)],
        )
    )
    payment = biller.takes_card_payment(
        invoice["id"], Decimal(invoice["total"]), APPROVED_CARD, builders.idempotency_key()
    )
    return {"invoice": invoice, "payment": payment.expect_ok(f"{biller.name} taking the payment")}
