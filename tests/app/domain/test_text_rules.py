"""The edges of what text the platform takes: one character is a name and a text, none is not, and the
limit is the last length taken."""

from __future__ import annotations

import pytest

from app.domain.text_rules import NAME_CHARACTERS, TEXT_CHARACTERS, name_problem, text_problem


@pytest.mark.parametrize("problem", [name_problem, text_problem], ids=["a name", "a text"])
def test_one_readable_character_is_taken(problem):
    assert problem("k") is None, "a single readable character is a whole name or text (an initial, a 'y')"


@pytest.mark.parametrize(
    ("problem", "limit"), [(name_problem, NAME_CHARACTERS), (text_problem, TEXT_CHARACTERS)], ids=["a name", "a text"]
)
def test_nothing_is_refused_and_the_limit_is_the_last_length_taken(problem, limit):
    assert problem("") == f"must be 1 to {limit} characters"
    assert problem("k" * limit) is None
    assert problem("k" * (limit + 1)) == f"must be 1 to {limit} characters"
