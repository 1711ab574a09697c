"""What every body shares: text that can be stored and read, amounts as decimal strings, the error body."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)

from app.domain.text_rules import (
    IN_ADDRESS,
    NAME_CHARACTERS,
    NAME_PATTERN,
    TEXT_CHARACTERS,
    TEXT_PATTERN,
    whole_characters,
)

# The text rules are the domain's (``app.domain.text_rules``), shared with the assistant's tools.
Checked = AfterValidator(whole_characters)


Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=NAME_CHARACTERS, pattern=NAME_PATTERN),
    Field(examples=["Globex"]),
    Checked,
]


Text = Annotated[
    str,
    StringConstraints(min_length=1, max_length=TEXT_CHARACTERS, pattern=TEXT_PATTERN),
    Field(examples=["No budget this year"]),
    Checked,
]


# Deliverability is not checked; the shape is, with the pattern the OpenAPI document shows.
EmailAddress = Annotated[
    str,
    StringConstraints(max_length=254, pattern=f"^{IN_ADDRESS}+@{IN_ADDRESS}+\\.{IN_ADDRESS}+$"),
    Field(examples=["ana@example.com"]),
    Checked,
]


Password = Annotated[
    str,
    StringConstraints(min_length=8, max_length=200, pattern=r"^[^\x00]+$"),
    Field(examples=["correct-horse-battery"]),
    Checked,
]


Currency = Literal["EUR", "USD", "GBP"]


def _not_a_boolean(value: object) -> object:
    """JSON true/false are not numbers here (pydantic would read them as 1 and 0)."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number, not true or false")
    return value


def _iso_date_text(value: object) -> object:
    """Only YYYY-MM-DD text is a date here (pydantic would also read 0 as 1970-01-01)."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise ValueError("must be a date written YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]


Month = Annotated[
    str,
    StringConstraints(pattern=r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"),  # 1900-01 to 2999-12
    Field(examples=["2026-11"]),
]


# A whole number is ``Annotated[int, Field(ge=..., le=...), NOT_A_BOOLEAN]``: the constraints come before
# the validator, or the OpenAPI document loses them.
NOT_A_BOOLEAN = BeforeValidator(_not_a_boolean)


def decimal_text(pattern: str, meaning: str, example: str) -> tuple[PlainValidator, WithJsonSchema]:
    """A decimal sent as a JSON string matching ``pattern``; parsed to Decimal, never through a float.

    The pattern is the whole rule (range and places), so the OpenAPI document states exactly what
    is accepted.
    """
    import re

    compiled = re.compile(pattern)

    def parse(value: object) -> Decimal:
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise ValueError(f'must be {meaning}, written as a string like "{example}"')
        return Decimal(value)

    return PlainValidator(parse), WithJsonSchema(
        {"type": "string", "pattern": pattern, "description": meaning, "examples": [example]}, mode="validation"
    )


# Above zero, at most 10 digits before the point and 2 after.
_amount = decimal_text(
    r"^(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,9}(\.[0-9]{1,2})?)$",
    "an amount above zero with at most two decimals",
    "1200.00",
)


_quantity = decimal_text(
    r"^(0\.(00[1-9]|0[1-9][0-9]?|[1-9][0-9]{0,2})|[1-9][0-9]{0,8}(\.[0-9]{1,3})?)$",
    "a quantity above zero with at most three decimals",
    "1.5",
)


_percent = decimal_text(
    r"^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)$", "a percentage from 0 to 100 with at most two decimals", "21"
)


_rate = decimal_text(r"^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$", "a rate from 0 to 1 with at most four decimals", "0.10")


Amount = Annotated[Decimal, _amount[0], _amount[1]]


Quantity = Annotated[Decimal, _quantity[0], _quantity[1]]


Percent = Annotated[Decimal, _percent[0], _percent[1]]


Rate = Annotated[Decimal, _rate[0], _rate[1]]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", regex_engine="python-re")


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class FieldProblem(BaseModel):
    field: str
    message: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None
    fields: list[FieldProblem] | None = Field(
        None, description="A request refused as invalid (422): every field that was wrong, the first one as `field`."
    )


class ErrorBody(BaseModel):
    error: ErrorDetail
