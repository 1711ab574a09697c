"""Invoice arithmetic and the invoice life cycle.

Each line's net and tax are rounded to the cent on their own; the invoice
total is the sum of the rounded lines and is never rounded again. The residual
(total - payments) decides the status of an issued invoice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.domain.errors import InvalidTransition, RuleViolation
from app.domain.money import LARGEST_AMOUNT, round_to_cent, storable

HUNDRED = Decimal(100)


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    VOID = "void"


@dataclass(frozen=True, slots=True)
class LineAmounts:
    net: Decimal
    tax: Decimal


def line_amounts(quantity: Decimal, unit_price: Decimal, tax_rate_percent: Decimal) -> LineAmounts:
    """Net = quantity x unit price, tax = net x rate; each rounded half-up to the cent."""
    net = round_to_cent(quantity * unit_price)
    tax = round_to_cent(net * tax_rate_percent / HUNDRED)
    return LineAmounts(net=net, tax=tax)


@dataclass(frozen=True, slots=True)
class InvoiceTotals:
    net: Decimal
    tax: Decimal
    total: Decimal


def invoice_totals(lines: list[LineAmounts]) -> InvoiceTotals:
    """Sum of the already-rounded lines; the sum itself is not rounded again.

    Raises:
        RuleViolation amount_too_large: a line or a total is past the largest amount kept.
    """
    net = sum((line.net for line in lines), Decimal("0.00"))
    tax = sum((line.tax for line in lines), Decimal("0.00"))
    totals = InvoiceTotals(net=net, tax=tax, total=net + tax)
    amounts = [a for line in lines for a in (line.net, line.tax)] + [totals.net, totals.tax, totals.total]
    if not all(storable(amount) for amount in amounts):
        raise RuleViolation(
            "amount_too_large",
            f"an invoice's lines and total may not exceed {LARGEST_AMOUNT:,}; split it into several invoices",
            field="lines",
        )
    return totals


def residual(total: Decimal, paid: Decimal) -> Decimal:
    return total - paid


def status_after_payments(total: Decimal, paid: Decimal) -> InvoiceStatus:
    """The status an issued invoice has once ``paid`` has been received."""
    if paid <= 0:
        return InvoiceStatus.ISSUED
    if paid < total:
        return InvoiceStatus.PARTIALLY_PAID
    return InvoiceStatus.PAID


def ensure_can_issue(status: InvoiceStatus, line_count: int) -> None:
    if status is not InvoiceStatus.DRAFT:
        raise InvalidTransition(f"only a draft invoice can be issued; this one is {status}")
    if line_count == 0:
        raise RuleViolation("invoice_empty", "an invoice needs at least one line", field="lines")


def ensure_can_void(status: InvoiceStatus, paid: Decimal) -> None:
    if status in (InvoiceStatus.VOID, InvoiceStatus.PAID):
        raise InvalidTransition(f"a {status} invoice cannot be voided")
    if paid > 0:
        raise InvalidTransition("an invoice with payments cannot be voided")


def ensure_can_accept_payment(status: InvoiceStatus, total: Decimal, paid: Decimal, amount: Decimal) -> None:
    """Raises unless ``amount`` may be paid now: issued, not void, not above the residual."""
    if status in (InvoiceStatus.DRAFT, InvoiceStatus.VOID, InvoiceStatus.PAID):
        raise InvalidTransition(f"a {status.replace('_', ' ')} invoice cannot take a payment")
    if amount > residual(total, paid):
        raise RuleViolation(
            "overpayment",
            f"payment of {amount:.2f} exceeds the amount due of {residual(total, paid):.2f}",
            field="amount",
        )


def ensure_can_refund(paid: Decimal, refunded: Decimal, amount: Decimal) -> None:
    """A refund gives back at most what the payment brought in and has not been refunded yet."""
    if amount > paid - refunded:
        raise RuleViolation(
            "refund_exceeds_payment",
            f"refund of {amount:.2f} exceeds the {paid - refunded:.2f} left to refund",
            field="amount",
        )
