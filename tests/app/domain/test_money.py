from decimal import Decimal

import pytest

from app.domain.money import round_to_cent


@pytest.mark.parametrize(
    "raw, rounded",
    [
        ("1.005", "1.01"),
        ("1.004", "1.00"),
        ("0.125", "0.13"),
        ("2.675", "2.68"),
        ("-1.005", "-1.01"),
        ("49.975", "49.98"),
        ("0.005", "0.01"),
    ],
)
def test_round_to_cent_rounds_half_up(raw, rounded):
    assert round_to_cent(Decimal(raw)) == Decimal(rounded)


def test_round_to_cent_keeps_two_places():
    assert round_to_cent(Decimal("3")).as_tuple().exponent == -2


def test_money_received_less_given_back_is_never_added_across_currencies():
    from app.domain.money import net_by_currency

    received = [("EUR", Decimal("100.005")), ("USD", Decimal("50.00")), ("EUR", Decimal("20.00"))]
    assert net_by_currency(received, [("EUR", Decimal("30.00")), ("GBP", Decimal("5.00"))]) == {
        "EUR": Decimal("90.01"),
        "USD": Decimal("50.00"),
        "GBP": Decimal("-5.00"),
    }
    assert net_by_currency([], []) == {}
