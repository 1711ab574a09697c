"""Sales commission: a rate of each amount actually paid, rounded to the cent."""

from decimal import Decimal

from app.domain.money import round_to_cent

DEFAULT_COMMISSION_RATE = Decimal("0.10")


def commission_on(paid_amount: Decimal, rate: Decimal) -> Decimal:
    return round_to_cent(paid_amount * rate)
