"""The platform's clock: the current time, always timezone-aware UTC.

On a stack whose operator may set clocks (``CLOCK_SETTABLE``, refused in production), one company's clock
can be made to stand at a given instant (``stand_at``): while it does, whatever the platform does for that
company reads that instant, so a test can place "now" exactly on an edge (an invoice's due moment). Work is
known to be a company's once a unit of work has entered it (``working_for``), in that thread, greenlet or
task only; anything read before, and every other company, reads the real time.
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

_STANDING: dict[uuid.UUID, datetime] = {}  # company -> the instant its clock stands at (test stacks only)
_WORKING_FOR: ContextVar[uuid.UUID | None] = ContextVar("clock_working_for", default=None)


def utc_now() -> datetime:
    """The current time, always timezone-aware UTC (the instant a company's clock stands at, for its work)."""
    company = _WORKING_FOR.get() if _STANDING else None
    if company is not None and company in _STANDING:
        return _STANDING[company]
    return datetime.now(UTC)


def working_for(company: uuid.UUID) -> None:
    """What runs from here on in this context is the work of ``company``: it reads that company's clock."""
    _WORKING_FOR.set(company)


def stand_at(company: uuid.UUID, instant: datetime | None) -> None:
    """Makes ``company``'s clock stand at ``instant`` (timezone-aware); None lets it run with the real time."""
    if instant is None:
        _STANDING.pop(company, None)
    elif instant.tzinfo is None:
        raise ValueError("a clock stands at a timezone-aware instant")
    else:
        _STANDING[company] = instant.astimezone(UTC)
