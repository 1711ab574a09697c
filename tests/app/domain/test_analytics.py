"""The analytics' rules: a span of whole days read at most a year at a time, money received net of refunds."""

from datetime import date
from decimal import Decimal

import pytest

from app.domain.analytics import FUNNEL, LONGEST_SPAN_DAYS, Span, received
from app.domain.errors import RuleViolation


def test_a_span_of_one_day_ends_the_next_day():
    span = Span.of(date(2026, 12, 3), date(2026, 12, 3))
    assert span.end == date(2026, 12, 4)


def test_a_span_of_exactly_366_days_is_read_and_367_are_refused_naming_to():
    assert LONGEST_SPAN_DAYS == 366
    Span.of(date(2024, 1, 1), date(2024, 12, 31))  # a leap year: 366 days
    with pytest.raises(RuleViolation) as refused:
        Span.of(date(2024, 1, 1), date(2025, 1, 1))
    assert refused.value.field == "to"


def test_a_span_running_backwards_is_refused_naming_to():
    with pytest.raises(RuleViolation) as refused:
        Span.of(date(2026, 12, 2), date(2026, 12, 1))
    assert refused.value.field == "to" and "before" in refused.value.message


def test_money_received_is_what_was_paid_less_what_was_given_back():
    assert received(Decimal("710.10"), Decimal("100.05")) == Decimal("610.05")


def test_the_funnel_runs_from_leads_to_paid_in_order():
    assert list(FUNNEL) == ["leads", "qualified", "won", "invoiced", "paid"]
