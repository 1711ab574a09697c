"""The embedded platform runs in a zone whose date is not UTC's, whatever the hour it starts at."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from support.stack.stack import far_time_zone


def _offset(posix: str) -> timedelta:
    """The zone's offset from UTC (POSIX writes it with the sign turned: ``<+14>-14`` is fourteen hours ahead)."""
    hours = re.fullmatch(r"<[+-]\d+>([+-]\d+)", posix)
    assert hours, f"{posix} is not a fixed POSIX zone"
    return timedelta(hours=-int(hours.group(1)))


@pytest.mark.parametrize("hour", range(24))
def test_at_every_hour_the_zone_chosen_is_on_another_day_than_utc(hour):
    now = datetime(2026, 11, 30, hour, 30, tzinfo=UTC)
    local = now + _offset(far_time_zone(now))
    assert local.date() != now.date(), f"at {now:%H:%M} UTC the zone {far_time_zone(now)} is on the same day"
    if hour < 22:  # a run started before 22:00 UTC stays on another day for the next hour and a half at least
        later = now + timedelta(hours=1, minutes=30)
        assert (later + _offset(far_time_zone(now))).date() != later.date()
