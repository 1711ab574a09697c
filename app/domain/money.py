"""Money: Decimal amounts, rounded half-up to the cent.

The one rounding rule of the platform lives here. Floats never enter.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
LARGEST_AMOUNT = Decimal("999999999999.99")  # what is stored for any amount: 12 digits before the point, 2 after


def round_to_cent(amount: Decimal) -> Decimal:
    """Round half-up to two decimals: 1.005 -> 1.01, 1.004 -> 1.00."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def storable(amount: Decimal) -> bool:
    """True when the amount can be kept as it is: at most 999,999,999,999.99 either way."""
    return abs(amount) <= LARGEST_AMOUNT
