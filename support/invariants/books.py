"""Every company's books balance at the end of every scenario, whatever the scenario was about.

Checked once per scenario, at its last step, for each of the scenario's companies, from the platform's
database and from the payment processor (its double), where the harness reaches them:

- an invoice is whole: it has lines, its net and tax are their sums and its total is net plus tax;
- an invoice's paid amount is its payments less their refunds, and never more than its total;
- its status says what it has been paid (nothing while a draft or once void; issued with nothing paid,
  partially paid with less than its total, paid with all of it);
- the charges recorded as payments are the charges the processor made for the company's invoices, each
  recorded once and for the amount charged, and the refunds recorded are the refunds it made on them;
- commissions follow the money: one earned at most per payment, by whoever sold the deal, its amount the
  payment at its rate rounded half up to the cent, in the payment's currency; each refund of such a payment
  takes back the refund at the same rate, once;
- no payment waits for approval on an invoice that is void (nobody could approve it).

A company the scenario removed has no books left; a database or processor the scenario stopped has nothing to
read: neither is checked.
"""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import requests
from sqlalchemy.exc import SQLAlchemyError

CENT = Decimal("0.01")
MUST_BE_EMPTY = {
    "paid_amounts_not_matching_payments": "invoices whose paid amount is not their payments less refunds, or is "
    "more than their total",
    "charges_recorded_twice": "charges recorded as more than one payment",
    "invoice_statuses_not_matching_amounts": "invoices whose status does not say what they have been paid",
    "refunds_not_reversing_commission": "refunds of a payment that earned a commission, not taking it back",
    "invoices_not_matching_lines": "invoices not whole (no lines, or their net and tax not their lines' sums, or "
    "their total not net plus tax)",
    "payments_held_on_void_invoices": "payments held for approval on a void invoice (a request nobody can approve)",
}


def unbalanced(db: Any, processor: Any, company: str) -> list[str]:
    """What is wrong with one company's books, in a reviewer's words; nothing when they balance or cannot be
    read."""
    if not db.available:
        return []
    try:
        invoices = [str(row["id"]) for row in db.rows("tenant_invoice_ids", evidence=False, tenant=company) or []]
        if not invoices:  # no invoice, so no payment, refund or commission either: nothing more to read
            return []
        found = [
            f"{meaning}: {_shown(rows)}"
            for query, meaning in MUST_BE_EMPTY.items()
            if (rows := db.rows(query, evidence=False, tenant=company))
        ]
        found += _commissions_not_following_the_money(
            db.rows("commissions_with_their_money", evidence=False, tenant=company) or []
        )
        payments = db.rows("payments_of_tenant", evidence=False, tenant=company) or []
        refunds = db.rows("refunds_of_tenant", evidence=False, tenant=company) or []
    except SQLAlchemyError:  # the database stopped by the scenario
        return []
    if not processor.available:
        return found
    try:
        return found + _against_the_processor(processor, invoices, payments, refunds)
    except requests.RequestException:  # the processor stopped by the scenario
        return found


def _against_the_processor(
    processor: Any, invoices: list[str], payments: list[dict[str, Any]], refunds: list[dict[str, Any]]
) -> list[str]:
    """Every invoice's charges at the processor (a charge no payment records shows on an invoice with none)."""
    found = []
    charged = {
        charge["id"]: Decimal(charge["amount"])
        for invoice in invoices
        for charge in processor.charges_for_invoice(invoice, evidence=False) or []
    }
    recorded = Counter(payment["processor_charge_id"] for payment in payments)
    amounts = {payment["processor_charge_id"]: Decimal(payment["amount"]) for payment in payments}
    if unrecorded := sorted(set(charged) - set(recorded)):
        found.append(f"charges the processor made for the company's invoices that no payment records: {unrecorded}")
    if never_made := sorted(set(recorded) - set(charged)):
        found.append(f"payments recorded for charges the processor never made: {never_made}")
    if wrong := {c: (str(amounts[c]), str(charged[c])) for c in amounts if c in charged and amounts[c] != charged[c]}:
        found.append(f"payments recorded for another amount than charged (recorded, charged): {wrong}")
    made = Counter(
        (refund["charge"], Decimal(refund["amount"]))
        for refund in (processor.every_refund() or [] if recorded else [])
        if refund["charge"] in recorded
    )
    kept = Counter((refund["processor_charge_id"], Decimal(refund["amount"])) for refund in refunds)
    if made != kept:
        found.append(
            f"refunds recorded against those the processor made on the company's charges: recorded {_counted(kept)}, "
            f"made {_counted(made)}"
        )
    return found


def _commissions_not_following_the_money(commissions: list[dict[str, Any]]) -> list[str]:
    found = []
    earned = Counter(row["payment_id"] for row in commissions if row["refund_id"] is None)
    if twice := sorted(str(payment) for payment, times in earned.items() if times > 1):
        found.append(f"payments that earned more than one commission: {twice}")
    for row in commissions:
        reversal = row["refund_id"] is not None
        base = row["refunded"] if reversal else row["paid"]
        expected = (-1 if reversal else 1) * (base * row["rate"]).quantize(CENT, rounding=ROUND_HALF_UP)
        what = f"the commission {row['id']} ({'taking back refund ' + str(row['refund_id']) if reversal else 'earned'})"
        if row["amount"] != expected:
            found.append(f"{what} is {row['amount']}, not {expected} ({base} at {row['rate']})")
        if row["currency"] != row["paid_currency"]:
            found.append(f"{what} is in {row['currency']}, the payment in {row['paid_currency']}")
        if row["user_id"] != row["seller"]:
            found.append(f"{what} went to {row['user_id']}, not to {row['seller']} who sold the deal")
        if reversal and row["refunded_payment"] != row["payment_id"]:
            found.append(f"{what} names payment {row['payment_id']}, the refund was of {row['refunded_payment']}")
    return found


def _shown(rows: list[dict[str, Any]]) -> str:
    return "; ".join(", ".join(f"{key} {value}" for key, value in row.items()) for row in rows[:5])


def _counted(refunds: Counter) -> list[str]:
    return sorted(f"{charge} {amount:.2f} x{times}" for (charge, amount), times in refunds.items())
