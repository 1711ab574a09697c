"""What the analytics store's figures mean: the funnel's stages and the money received, as business rules.

Pure logic, no I/O. The store keeps every business event once (the audit
trail's entries); these rules say which events each figure counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from app.domain.errors import RuleViolation

# The funnel, stage by stage: the event that puts a record in it
FUNNEL: Mapping[str, str] = {
    "leads": "lead_captured",
    "qualified": "lead_qualified",
    "won": "deal_won",
    "invoiced": "invoice_issued",
    "paid": "payment_received",  # invoices with money received: counted once each, however many payments
}
RECEIVED = "payment_received"
GIVEN_BACK = "refund_issued"
LONGEST_SPAN_DAYS = 366


@dataclass(frozen=True, slots=True)
class Span:
    """Whole UTC days from ``first`` to ``last``, both included."""

    first: date
    last: date

    @classmethod
    def of(cls, first: date, last: date) -> Span:
        """Raises RuleViolation naming the field when the span runs backwards or is longer than a year."""
        if last < first:
            raise RuleViolation("invalid_span", "to must not be before from", field="to")
        if (last - first).days + 1 > LONGEST_SPAN_DAYS:
            raise RuleViolation("invalid_span", f"a span is at most {LONGEST_SPAN_DAYS} days", field="to")
        return cls(first, last)

    @property
    def end(self) -> date:
        """The first day after the span."""
        return self.last + timedelta(days=1)


def received(payments: Decimal, refunds: Decimal) -> Decimal:
    """Money received: what was paid less what was given back."""
    return payments - refunds
