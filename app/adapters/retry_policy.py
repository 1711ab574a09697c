"""Retries for calls that are safe to repeat: exponential backoff with jitter (tenacity).

Only idempotent calls come here: reads, and writes the other side de-duplicates
by an idempotency key. A refused call (circuit open) is not retried; the
breaker already knows the dependency is failing. One policy for every
dependency, run blocking (the payment processor) or on the event loop (the model).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tenacity import AsyncRetrying, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from app.domain.errors import DependencyUnavailable

T = TypeVar("T")

ATTEMPTS = 3
FIRST_WAIT = 0.1  # seconds before the first retry, doubled before each next one, plus up to FIRST_WAIT at random
LONGEST_WAIT = 1.0  # a bound no wait passes (with three attempts the waits stay under 0.3 s)


def is_transient(exc: BaseException) -> bool:
    """A dependency that did not answer (worth another try), not one whose circuit is open."""
    return isinstance(exc, DependencyUnavailable) and exc.code == DependencyUnavailable.code


def _policy() -> dict[str, Any]:
    return {
        "stop": stop_after_attempt(ATTEMPTS),
        "wait": wait_exponential_jitter(multiplier=FIRST_WAIT, max=LONGEST_WAIT, jitter=FIRST_WAIT),
        "retry": retry_if_exception(is_transient),
        "reraise": True,
    }


def with_retries(attempt: Callable[[], T]) -> T:
    """``attempt()``, tried up to ``ATTEMPTS`` times while it fails transiently; the last error is raised."""
    return Retrying(**_policy())(attempt)


async def with_retries_async(attempt: Callable[[], Awaitable[T]]) -> T:
    """``await attempt()`` under the same policy as ``with_retries``; the waits are asyncio sleeps."""
    return await AsyncRetrying(**_policy())(attempt)
