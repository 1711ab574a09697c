"""The analytics' rules: a span of whole days read at most a year at a time, money received net of refunds."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.domain.analytics import FUNNEL, LONGEST_SPAN_DAYS, Span, received
from app.domain.errors import RuleViolation


def test_a_span_of_one_day_ends_the_next_day():
    span = Span.of(date(2026, 12, 3), 1)
    assert (span.first, span.last, span.end) == (date(2026, 12, 3), date(2026, 12, 3), date(2026, 12, 4))


def test_a_span_of_366_days_is_read_and_0_or_367_are_refused_naming_days():
    assert LONGEST_SPAN_DAYS == 366
    assert Span.of(date(2024, 1, 1), 366).last == date(2024, 12, 31)  # a leap year
    for days in (0, 367):
        with pytest.raises(RuleViolation) as refused:
            Span.of(date(2024, 1, 1), days)
        assert refused.value.field == "days"


def test_a_span_ends_at_the_calendars_last_day_at_the_latest():
    span = Span.of(date(9999, 12, 30), 366)
    assert (span.last, span.end) == (date(9999, 12, 31), None)
    assert Span.of(date(9999, 12, 31), 1).last == date(9999, 12, 31)


@pytest.mark.parametrize("first", [date(9999, 12, 31) - timedelta(days=back) for back in range(4)])
@pytest.mark.parametrize("days", [1, 2, 3, 4, 5, 366])
def test_a_span_near_the_calendars_end_is_cut_at_its_last_day_never_past_it(first, days):
    """Every span that reaches past the calendar's last day is cut there, whether it reaches one day past it or
    many (one day past was computed as a day that does not exist: an error, where the span is cut)."""
    wanted = date.fromordinal(min(first.toordinal() + days - 1, date.max.toordinal()))
    assert Span.of(first, days).last == wanted


def test_money_received_is_what_was_paid_less_what_was_given_back():
    assert received(Decimal("710.10"), Decimal("100.05")) == Decimal("610.05")


def test_the_funnel_runs_from_leads_to_paid_in_order():
    assert list(FUNNEL) == ["leads", "qualified", "won", "invoiced", "paid"]
