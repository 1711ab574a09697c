"""Database pools that count the requests waiting for a connection, for an operator's figures (/metrics).

SQLAlchemy's pools tell how many connections are in use, idle and beyond their size, not how many callers wait
for one. A pool class made here counts a caller from the moment it asks for a connection until it has one or
gives up (its pool time-out): a gauge, read as the pool's ``waiting``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.pool import QueuePool


class Waiting:
    """How many callers wait for a connection now (threads of the blocking pool, tasks of the asyncio one)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0

    @contextmanager
    def one(self) -> Iterator[None]:
        with self._lock:
            self.now += 1
        try:
            yield
        finally:
            with self._lock:
                self.now -= 1


def counting_waits(pool_class: type[QueuePool]) -> type[QueuePool]:
    """A subclass of ``pool_class`` with a count of its own (kept when the engine makes the pool anew)."""

    class CountingWaits(pool_class):  # type: ignore[valid-type,misc]
        waiting = Waiting()

        def _do_get(self) -> Any:
            with self.waiting.one():
                return super()._do_get()

    CountingWaits.__name__ = f"CountingWaits{pool_class.__name__}"
    return CountingWaits


def waiting(pool: Any) -> int:
    """Callers waiting for a connection of ``pool`` now (0 for a pool that does not count them)."""
    count = getattr(pool, "waiting", None)
    return count.now if isinstance(count, Waiting) else 0
