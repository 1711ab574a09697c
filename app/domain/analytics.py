"""What the analytics store's figures mean: the funnel's stages, the money received and the assistant's use.

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
# The platform's use: people signing in (or failing to), each question to the assistant when it is taken,
# and how its run ended (an answer, or a failure)
SIGNED_IN = "signed_in"
SIGN_IN_FAILED = "sign_in_failed"
ASKED = "assistant_asked"
TOOL_CALLED = "assistant_tool_called"
ANSWERED = "assistant_answered"
FAILED = "assistant_failed"
LONGEST_SPAN_DAYS = 366


@dataclass(frozen=True, slots=True)
class Span:
    """Whole UTC days from ``first`` to ``last``, both included."""

    first: date
    last: date

    @classmethod
    def of(cls, first: date, days: int) -> Span:
        """``days`` days from ``first`` (1 to LONGEST_SPAN_DAYS, as the API's schema says), ending at the
        calendar's last day at the latest."""
        if not 1 <= days <= LONGEST_SPAN_DAYS:
            raise RuleViolation("invalid_span", f"days must be 1 to {LONGEST_SPAN_DAYS}", field="days")
        last = first + timedelta(days=days - 1) if (date.max - first).days >= days - 1 else date.max
        return cls(first, last)

    @property
    def end(self) -> date | None:
        """The first day after the span (None past the calendar's last day)."""
        return self.last + timedelta(days=1) if self.last < date.max else None


def received(payments: Decimal, refunds: Decimal) -> Decimal:
    """Money received: what was paid less what was given back."""
    return payments - refunds
