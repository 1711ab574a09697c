"""Parameter types for step text: personas, companies, money, rates, lists.

Registered once by ``environment.py``; the step modules use the names.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar, cast

import parse
from behave import register_type

from support.scenario.money_text import Money, parse_amount, parse_money, parse_percent

F = TypeVar("F", bound=Callable[..., Any])


def pattern(regex: str) -> Callable[[F], F]:
    """parse's ``with_pattern``, typed: the step type reads text matching ``regex``."""
    return cast(Callable[[F], F], parse.with_pattern(regex))


@pattern(r"[A-Z][a-z]+")
def persona(text: str) -> str:
    return text


@pattern(r"[A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*)*")
def company(text: str) -> str:
    return text


@pattern(r"[A-Z][a-z]+(?: of [A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*)*)?")
def someone(text: str) -> tuple[str, str | None]:
    """ "Olivia of Initech" -> ("Olivia", "Initech"); "Sam" -> ("Sam", None): the scenario's own company."""
    name, _, of = text.partition(" of ")
    return name, of or None


@pattern(r"-?[\d,]+(?:\.\d+)? [A-Z]{3}")
def money(text: str) -> Money:
    return parse_money(text)


_MONEY = r"-?[\d,]+(?:\.\d+)? [A-Z]{3}"


@pattern(rf"{_MONEY}(?:(?:, | and ){_MONEY})*")
def money_list(text: str) -> list[Money]:
    """ "610.05 EUR and 300.00 USD" -> [Money(610.05, EUR), Money(300.00, USD)]."""
    import re

    return [parse_money(part) for part in re.split(r", | and ", text)]


@pattern(r"[\d,]+(?:\.\d+)?")
def number(text: str) -> Decimal:
    return parse_amount(text)


@pattern(r"\d+(?:\.\d+)?%")
def percent(text: str) -> Decimal:
    return parse_percent(text)


@pattern(r"paid|partially paid|issued|void|draft")
def invoice_status(text: str) -> str:
    return text


@pattern(r"read|unread")
def read_state(text: str) -> bool:
    """ "read" -> True, "unread" -> False."""
    return text == "read"


@pattern(r".+")
def word_list(text: str) -> list[str]:
    """ "a, b and c" (or "a or b") -> ["a", "b", "c"]."""
    import re

    return [item.strip() for item in re.split(r",\s*|\s+and\s+|\s+or\s+", text) if item.strip()]


def register_general_step_types() -> None:
    register_type(
        Persona=persona,
        Someone=someone,
        Company=company,
        Money=money,
        MoneyList=money_list,
        Number=number,
        Percent=percent,
        InvoiceStatus=invoice_status,
        List=word_list,
        ReadState=read_state,
    )
