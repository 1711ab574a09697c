"""What of a conversation the model is given: its latest messages, oldest first, within both bounds, no hole."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.domain.conversation_memory import Memory, remembered


def _said(*lengths: int) -> list[dict[str, str]]:
    """Messages of these lengths, the latest first (as the conversation is read)."""
    return [{"content": "x" * length, "n": str(n)} for n, length in enumerate(lengths)]


def test_a_short_conversation_is_given_whole_oldest_first():
    latest_first = _said(3, 2, 1)
    assert [m["n"] for m in remembered(latest_first, Memory(messages=40, characters=100))] == ["2", "1", "0"]


def test_past_the_count_only_the_latest_are_given():
    assert [m["n"] for m in remembered(_said(1, 1, 1, 1, 1), Memory(messages=3, characters=100))] == ["2", "1", "0"]


def test_past_the_characters_the_message_that_does_not_fit_and_all_older_are_left_out():
    given_ = remembered(_said(40, 40, 10, 40, 1), Memory(messages=40, characters=90))
    assert [m["n"] for m in given_] == ["2", "1", "0"]  # 40 + 40 + 10 fit; the fourth would pass 90, the fifth is older


def test_exactly_the_characters_fit():
    assert len(remembered(_said(50, 50), Memory(messages=40, characters=100))) == 2
    assert len(remembered(_said(50, 51), Memory(messages=40, characters=100))) == 1


def test_a_latest_message_longer_than_the_bound_leaves_nothing_to_give():
    assert remembered(_said(101, 1), Memory(messages=40, characters=100)) == []


@given(
    lengths=st.lists(st.integers(min_value=0, max_value=50), max_size=30),
    count=st.integers(min_value=0, max_value=40),
    characters=st.integers(min_value=0, max_value=500),
)
def test_what_is_given_is_always_the_latest_run_of_messages_within_both_bounds(lengths, count, characters):
    latest_first = _said(*lengths)
    given_ = remembered(latest_first, Memory(messages=count, characters=characters))
    assert given_ == latest_first[: len(given_)][::-1]  # the latest ones, no hole, oldest first
    assert len(given_) <= count
    assert sum(len(m["content"]) for m in given_) <= characters
    if len(given_) < min(count, len(latest_first)):  # one more would pass the characters
        assert sum(len(m["content"]) for m in latest_first[: len(given_) + 1]) > characters
