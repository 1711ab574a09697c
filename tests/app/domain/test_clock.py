"""A company's clock stands where a test stack's operator put it, for that company's work only."""

from __future__ import annotations

import contextvars
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.domain import clock

ACME, GLOBEX = uuid.uuid4(), uuid.uuid4()
EDGE = datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


@pytest.fixture(autouse=True)
def running_clocks():
    yield
    clock.stand_at(ACME, None)
    clock.stand_at(GLOBEX, None)


def _now_for(company: uuid.UUID | None) -> datetime:
    """utc_now() as work in a fresh context reads it, once it works for ``company`` (None: for no company)."""

    def read() -> datetime:
        if company is not None:
            clock.working_for(company)
        return clock.utc_now()

    return contextvars.copy_context().run(read)


def test_a_company_whose_clock_stands_reads_that_instant_and_only_its_work_does():
    clock.stand_at(ACME, EDGE)
    assert _now_for(ACME) == EDGE
    before = datetime.now(UTC)
    for other in (GLOBEX, None):
        assert before <= _now_for(other) <= datetime.now(UTC)


def test_an_instant_with_another_offset_is_read_in_utc_and_a_naive_one_is_refused():
    clock.stand_at(ACME, datetime(2027, 1, 1, 1, 0, tzinfo=timezone(timedelta(hours=1))))
    assert _now_for(ACME) == datetime(2027, 1, 1, 0, 0, tzinfo=UTC)
    assert _now_for(ACME).utcoffset() == timedelta(0)
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.stand_at(ACME, datetime(2027, 1, 1))


def test_a_clock_let_go_runs_with_the_real_time_again():
    clock.stand_at(ACME, EDGE)
    clock.stand_at(ACME, None)
    assert abs(_now_for(ACME) - datetime.now(UTC)) < timedelta(seconds=1)


def test_work_for_a_company_in_one_context_leaves_another_context_on_the_real_time():
    clock.stand_at(ACME, EDGE)
    contextvars.copy_context().run(clock.working_for, ACME)
    assert clock.utc_now() != EDGE
