from decimal import Decimal

import pytest

from app.domain.finance import ageing_bucket, weighted
from app.domain.sales import Stage


@pytest.mark.parametrize(
    "amount, stage, expected",
    [
        ("10000.00", Stage.PROSPECTING, "1000.00"),
        ("10000.00", Stage.PROPOSAL, "4000.00"),
        ("10000.00", Stage.NEGOTIATION, "7000.00"),
        ("0.05", Stage.PROSPECTING, "0.01"),
        ("33.33", Stage.NEGOTIATION, "23.33"),
    ],
)
def test_weighted_value_is_amount_times_stage_probability_rounded_half_up(amount, stage, expected):
    assert weighted(Decimal(amount), stage) == Decimal(expected)


@pytest.mark.parametrize(
    "days, bucket",
    [
        (-5, "current"),
        (0, "current"),
        (1, "days_1_30"),
        (30, "days_1_30"),
        (31, "days_31_60"),
        (60, "days_31_60"),
        (61, "days_61_90"),
        (90, "days_61_90"),
        (91, "days_90_plus"),
    ],
)
def test_ageing_buckets_count_days_past_due(days, bucket):
    assert ageing_bucket(days) == bucket


def test_outbox_backoff_doubles_with_jitter_and_is_capped():
    from app.adapters.outbox import MAX_BACKOFF_SECONDS, backoff

    first, third, late = backoff(1).total_seconds(), backoff(3).total_seconds(), backoff(20).total_seconds()
    assert 0.5 <= first <= 0.625
    assert 2.0 <= third <= 2.5
    assert MAX_BACKOFF_SECONDS <= late <= MAX_BACKOFF_SECONDS * 1.25
