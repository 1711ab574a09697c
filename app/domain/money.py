"""Money: Decimal amounts in a currency, rounded half-up to the cent.

The one rounding rule of the platform lives here. Floats never enter.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
SUPPORTED_CURRENCIES = frozenset({"EUR", "USD", "GBP"})


def round_to_cent(amount: Decimal) -> Decimal:
    """Round half-up to two decimals: 1.005 -> 1.01, 1.004 -> 1.00."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def has_at_most_cents(amount: Decimal) -> bool:
    """True when the amount needs no more than two decimal places."""
    return amount == amount.quantize(CENT) if amount.is_finite() else False


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"Money needs a Decimal amount, got {type(self.amount).__name__}")
        if self.currency not in SUPPORTED_CURRENCIES:
            raise ValueError(f"unsupported currency {self.currency!r}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal("0.00"), currency)

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __str__(self) -> str:
        return f"{self.amount:.2f} {self.currency}"
