"""Requests sent at the same moment: each from a thread of its own, released together once all are ready."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import TypeVar

T = TypeVar("T")
READY_SECONDS = 10  # the threads wait at most this long for each other before the first is sent


def sent_together(count: int, send: Callable[[int], T]) -> list[T]:
    """``send(0)`` to ``send(count - 1)`` started at the same moment; their results in that order."""
    ready = Barrier(count)

    def released(index: int) -> T:
        ready.wait(timeout=READY_SECONDS)
        return send(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(released, range(count)))
