"""The one way to wait for a later outcome: retry a check until it passes or time runs out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from tenacity import Retrying, retry_if_exception_type, stop_after_delay, wait_fixed

T = TypeVar("T")


def eventually(
    check: Callable[[], T],
    *,
    timeout: float = 5.0,
    interval: float = 0.05,
    retry_on: tuple[type[BaseException], ...] = (AssertionError,),
) -> T:
    """Calls ``check`` until it returns without raising one of ``retry_on``.

    Returns:
        What ``check`` returned the first time it passed.
    Raises:
        The last error ``check`` raised once ``timeout`` seconds have passed.
    """
    for attempt in Retrying(
        stop=stop_after_delay(timeout), wait=wait_fixed(interval), retry=retry_if_exception_type(retry_on), reraise=True
    ):
        with attempt:
            return check()
    raise AssertionError("unreachable")  # pragma: no cover
