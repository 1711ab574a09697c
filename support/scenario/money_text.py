"""Amounts as the business writes them: "14,520.00 EUR", "21%"."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True, slots=True)
class Money:
    """An amount with its currency, as a step names it ("1,000.00 USD"): neither is ever dropped."""

    amount: Decimal
    currency: str

    def __iter__(self) -> Iterator[Decimal | str]:
        """Spread into a task's ``amount, currency`` parameters: ``pays(world, *money)``."""
        yield self.amount
        yield self.currency

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.currency}"


def parse_amount(text: str) -> Decimal:
    """ "12,000.00" -> Decimal("12000.00"); raises ValueError on anything else."""
    try:
        return Decimal(text.strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {text!r}") from exc


def parse_money(text: str) -> Money:
    """ "14,520.00 EUR" -> Money(Decimal("14520.00"), "EUR")."""
    amount, _, currency = text.strip().rpartition(" ")
    if not amount or len(currency) != 3:
        raise ValueError(f"money needs an amount and a currency, like '12.00 EUR': {text!r}")
    return Money(parse_amount(amount), currency.upper())


def parse_percent(text: str) -> Decimal:
    """ "21%" -> Decimal("21")."""
    return parse_amount(text.strip().removesuffix("%"))
