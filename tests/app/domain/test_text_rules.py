"""The edges of what text the platform takes: one character is a name and a text, none is not, and the
limit is the last length taken."""

from __future__ import annotations

from functools import partial

import pytest
from pydantic import TypeAdapter, ValidationError

from app.domain.text_rules import (
    NAME_CHARACTERS,
    TEXT_CHARACTERS,
    escaped,
    has_lone_surrogate,
    name_problem,
    text_problem,
)
from app.entrypoints.http.schemas.common import EmailAddress

A_NAME = (name_problem, NAME_CHARACTERS)
A_TEXT = (partial(text_problem, limit=TEXT_CHARACTERS), TEXT_CHARACTERS)


@pytest.mark.parametrize(("problem", "_"), [A_NAME, A_TEXT], ids=["a name", "a text"])
def test_one_readable_character_is_taken(problem, _):
    assert problem("k") is None, "a single readable character is a whole name or text (an initial, a 'y')"


@pytest.mark.parametrize(("problem", "limit"), [A_NAME, A_TEXT], ids=["a name", "a text"])
def test_nothing_is_refused_and_the_limit_is_the_last_length_taken(problem, limit):
    assert problem("") == f"must be 1 to {limit} characters"
    assert problem("k" * limit) is None
    assert problem("k" * (limit + 1)) == f"must be 1 to {limit} characters"


def test_the_documented_limits():
    """A name holds 200 characters and a text 1,000 (the API's documented limits, and the tools')."""
    assert (NAME_CHARACTERS, TEXT_CHARACTERS) == (200, 1000)


@pytest.mark.parametrize("half", ["\ud800", "\udbff", "\udc00", "\udfff"])
def test_every_lone_half_of_a_character_is_found_first_and_last_of_its_range(half):
    assert has_lone_surrogate(f"a{half}b")
    assert escaped(f"a{half}b", limit=10) == f"a\\u{ord(half):04x}b"


def test_a_whole_character_beyond_the_basic_plane_is_no_lone_half():
    assert not has_lone_surrogate("a\U0001f600b")


@pytest.mark.parametrize(
    "address",
    [
        "accounts@example.com, boss@example.com",
        "accounts@example.com;boss@example.com",
        "Boss <boss@example.com>",
        '"boss"@example.com',
        "boss(x)@example.com",
        "acc\u2028ounts@example.com",
        "accounts@[127.0.0.1]",
        "a:b@example.com",
        "a\\b@example.com",
    ],
    ids=[
        "two by comma",
        "two by semicolon",
        "a display name",
        "quoted",
        "a comment",
        "a line separator",
        "an address literal",
        "a colon",
        "a backslash",
    ],
)
def test_an_e_mail_address_is_one_address_that_a_mail_header_holds_as_it_is(address):
    """Mail goes to a client's address as it was given: one that a header would read as several addresses, a
    name, or two lines is refused when it is given, not found out by the mail sender."""
    with pytest.raises(ValidationError):
        TypeAdapter(EmailAddress).validate_python(address)


@pytest.mark.parametrize("address", ["ana@example.com", "an.a+tag@ex-ample.co.uk", "j\u00e4@ex\u00e4mple.de"])
def test_an_ordinary_address_is_taken(address):
    assert TypeAdapter(EmailAddress).validate_python(address) == address


@pytest.mark.parametrize(
    "reordering", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
@pytest.mark.parametrize(("problem", "_"), [A_NAME, A_TEXT], ids=["a name", "a text"])
def test_a_character_that_reorders_the_text_after_it_is_refused_in_names_and_texts(problem, _, reordering):
    """A client named "Acme<U+202E>moc.lapyap" shows "Acme" then "paypal.com" backwards: what a person reads is
    not what is stored ("Trojan Source")."""
    assert "none that reorders the text" in problem(f"Acme{reordering}Corp")


@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u061c"], ids=["left-to-right", "right-to-left", "arabic"])
def test_a_mark_that_only_tells_a_direction_stays_in_a_name(mark):
    assert name_problem(f"\u05e9\u05dc\u05d5\u05dd {mark}Acme") is None
