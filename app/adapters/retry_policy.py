"""Retries for calls that are safe to repeat: exponential backoff with jitter (tenacity).

Only idempotent calls come here: reads, and writes the other side de-duplicates
by an idempotency key. A refused call (circuit open) is not retried; the
breaker already knows the dependency is failing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from tenacity import AsyncRetrying, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from app.domain.errors import DependencyUnavailable

T = TypeVar("T")


def is_transient(exc: BaseException) -> bool:
    """A dependency that did not answer (worth another try), not one whose circuit is open."""
    return isinstance(exc, DependencyUnavailable) and exc.code == DependencyUnavailable.code


def with_retries(attempt: Callable[[], T], *, attempts: int = 3, first_wait: float = 0.1, max_wait: float = 1.0) -> T:
    """``attempt()``, tried up to ``attempts`` times while it fails transiently; the last error is raised."""
    retrying = Retrying(
        stop=stop_after_attempt(attempts),
        wait=wait_exponential_jitter(initial=first_wait, max=max_wait),
        retry=retry_if_exception(is_transient),
        reraise=True,
    )
    return retrying(attempt)


async def with_retries_async(
    attempt: Callable[[], Awaitable[T]], *, attempts: int = 3, first_wait: float = 0.1, max_wait: float = 1.0
) -> T:
    """``await attempt()`` under the same policy as ``with_retries``; the waits are asyncio sleeps."""
    retrying = AsyncRetrying(
        stop=stop_after_attempt(attempts),
        wait=wait_exponential_jitter(initial=first_wait, max=max_wait),
        retry=retry_if_exception(is_transient),
        reraise=True,
    )
    return await retrying(attempt)
