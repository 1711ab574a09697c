"""Customer-care tickets: opened for a client whose delivery has started, answered, then closed."""

from __future__ import annotations

from enum import StrEnum

from app.domain.errors import InvalidTransition


class TicketStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


def ensure_can_answer(status: TicketStatus) -> None:
    if status is TicketStatus.CLOSED:
        raise InvalidTransition("a closed ticket takes no more answers")


def ensure_can_close(status: TicketStatus) -> None:
    if status is not TicketStatus.ANSWERED:
        raise InvalidTransition(f"only an answered ticket can be closed; this one is {status}")
