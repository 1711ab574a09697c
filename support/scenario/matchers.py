"""PyHamcrest matchers whose descriptions read as the business rule."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description

from support.clients.platform_api import Answer


class _Amount(BaseMatcher[Any]):
    """An amount exact to the cent: "14520.00" or Decimal("14520.00"), never a float."""

    def __init__(self, expected: Decimal) -> None:
        self.expected = expected

    def _matches(self, item: Any) -> bool:
        if isinstance(item, float):
            return False
        try:
            value = Decimal(str(item))
        except InvalidOperation:
            return False
        return value == self.expected and value.as_tuple().exponent == -2

    def describe_to(self, description: Description) -> None:
        description.append_text(f"an amount of exactly {self.expected:,.2f} (two decimals, not a float)")


def amount_of(expected: Decimal) -> _Amount:
    return _Amount(expected)


class _Refusal(BaseMatcher[Answer]):
    def __init__(self, code: str) -> None:
        self.code = code

    def _matches(self, item: Answer) -> bool:
        return isinstance(item, Answer) and 400 <= item.status < 500 and item.error_code == self.code

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a refusal with reason '{self.code}'")

    def describe_mismatch(self, item: Answer, description: Description) -> None:
        description.append_text(_told(item))


def _told(item: Answer) -> str:
    """What the platform told, in words: accepted, or refused saying why (and naming the field)."""
    if not isinstance(item, Answer):
        return f"there was no answer but {item!r}"
    if item.ok:
        return f"it was accepted ({item.status})"
    error = item.body.get("error", {}) if isinstance(item.body, dict) else {}
    said = error.get("message") or str(item.body)[:200]
    field = f", naming {error['field']}" if error.get("field") else ""
    return f'it was refused because {error.get("code", "of something unsaid")}: "{said}"{field} ({item.status})'


def refused_because(code: str) -> _Refusal:
    return _Refusal(code)


class _Accepted(BaseMatcher[Answer]):
    def _matches(self, item: Answer) -> bool:
        return isinstance(item, Answer) and item.ok

    def describe_to(self, description: Description) -> None:
        description.append_text("an accepted request")

    def describe_mismatch(self, item: Answer, description: Description) -> None:
        description.append_text(_told(item))


def accepted() -> _Accepted:
    return _Accepted()
