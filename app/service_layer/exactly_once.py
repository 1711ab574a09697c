"""Writes that move money run once per Idempotency-Key (Stripe's contract), whatever the write is.

One transaction holds the key (an advisory lock), does the work and stores its
result. A concurrent duplicate finds the key held and is told so; a repeat
after completion gets the stored result (the caller renders it, the first time
and every time after). If anything fails first, the
transaction rolls back, even when its connection is gone, and the key is free
again for a retry.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from app.adapters.unit_of_work import UnitOfWork, UnitOfWorkFactory
from app.domain.errors import Conflict, RuleViolation

R = TypeVar("R")


def as_json(value: Any) -> Any:
    """``value`` as JSON data: amounts, ids and times as strings (the HTTP models read them back)."""
    return json.loads(json.dumps(value, default=str))


def fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def run_once(
    uow: UnitOfWorkFactory,
    company_id: uuid.UUID,
    key: str,
    request: dict[str, Any],
    work: Callable[[UnitOfWork], R],
    *,
    keep: Callable[[R], Any],
    restore: Callable[[Any], R],
) -> R:
    """``work``'s result for the first request with ``key``; the stored result for a repeat of it.

    ``keep`` turns the result into JSON data to store, ``restore`` turns that back into a result.

    Raises:
        RuleViolation idempotency_key_reused: the key was used with a different request.
        Conflict idempotency_key_in_use: a request with the key is still running.
    """
    request_print = fingerprint(request)
    with uow(company=company_id) as u:
        if not u.idempotency.lock(key):
            raise Conflict(
                "idempotency_key_in_use",
                "a request with this Idempotency-Key is still running",
                field="Idempotency-Key",
            )
        stored = u.idempotency.stored(key)
        if stored is not None:
            if stored.fingerprint != request_print:
                raise RuleViolation(
                    "idempotency_key_reused",
                    "this Idempotency-Key was used with a different request",
                    field="Idempotency-Key",
                )
            return restore(stored.result)
        result = work(u)
        u.idempotency.store(key, request_print, keep(result))
        return result
