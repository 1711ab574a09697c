"""What of a conversation the assistant is given with a new question: its latest messages, within a bound.

Pure functions. A conversation is kept whole, however long it grows; the model is given only its latest messages,
at most so many of them and so many characters of text in all (``Memory``) (a question may hold 64 KiB). Given all of it,
a long conversation cost more with every question, without end: 1,000 earlier messages of 60,000 characters made
each new question take 887 ms where a short one took 14 ms (one probe, run once), every one of them read and sent on whole, and a model's
context is bounded anyway.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

Message = TypeVar("Message", bound=Mapping[str, object])


@dataclass(frozen=True, slots=True)
class Memory:
    """How much of a conversation the model is given: at most ``messages`` messages, ``characters`` in all."""

    messages: int
    characters: int


def remembered(latest_first: Sequence[Message], memory: Memory) -> list[Message]:
    """The messages the model is given, oldest first: from ``latest_first`` (the conversation's messages, its latest
    first), as many as fit in ``memory``. A message that does not fit ends it: the model never gets a conversation
    with a hole in it."""
    kept: list[Message] = []
    length = 0
    for message in latest_first[: memory.messages]:
        length += len(str(message["content"]))
        if length > memory.characters:
            break
        kept.append(message)
    return kept[::-1]
