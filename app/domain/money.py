"""Money: Decimal amounts, rounded half-up to the cent.

The one rounding rule of the platform lives here. Floats never enter.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
LARGEST_AMOUNT = Decimal("999999999999.99")  # what is stored for any amount: 12 digits before the point, 2 after


def round_to_cent(amount: Decimal) -> Decimal:
    """Round half-up to two decimals: 1.005 -> 1.01, 1.004 -> 1.00."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def storable(amount: Decimal) -> bool:
    """True when the amount can be kept as it is: at most 999,999,999,999.99 either way."""
    return abs(amount) <= LARGEST_AMOUNT


def net_by_currency(
    received: Iterable[tuple[str, Decimal]], given_back: Iterable[tuple[str, Decimal]]
) -> dict[str, Decimal]:
    """Money received less money given back, per currency (never added across currencies), to the cent."""
    net: dict[str, Decimal] = {}
    for currency, amount in received:
        net[currency] = net.get(currency, Decimal(0)) + Decimal(amount)
    for currency, amount in given_back:
        net[currency] = net.get(currency, Decimal(0)) - Decimal(amount)
    return {currency: round_to_cent(amount) for currency, amount in net.items()}
