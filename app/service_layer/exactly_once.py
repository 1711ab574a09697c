"""Writes that move money run once per Idempotency-Key (Stripe's contract), whatever the write is.

The key is claimed in its own short transaction, so a concurrent duplicate sees
it in progress. The work and the stored answer commit together; if anything
fails first, the claim is released so the client may retry with the same key.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from app.adapters.unit_of_work import UnitOfWork, UnitOfWorkFactory
from app.domain.errors import Conflict, RuleViolation

Answer = tuple[int, Any]


def fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def run_once(uow: UnitOfWorkFactory, tenant_id: uuid.UUID, key: str, request: dict[str, Any],
             work: Callable[[UnitOfWork], Answer]) -> Answer:
    """``work``'s answer for the first request with ``key``; the stored answer for a repeat of it.

    Raises:
        RuleViolation idempotency_key_reused: the key was used with a different request.
        Conflict idempotency_key_in_use: a request with the key is still running.
    """
    request_print = fingerprint(request)
    with uow() as u:
        stored = u.idempotency.claim(tenant_id, key, request_print)
    if stored is not None:
        if stored.fingerprint != request_print:
            raise RuleViolation("idempotency_key_reused",
                                "this Idempotency-Key was used with a different request", field="Idempotency-Key")
        if stored.state != "completed":
            raise Conflict("idempotency_key_in_use",
                           "a request with this Idempotency-Key is still running", field="Idempotency-Key")
        return stored.response_status, stored.response_body
    try:
        with uow() as u:
            answer = work(u)
            u.idempotency.complete(tenant_id, key, *answer)
            return answer
    except BaseException:
        with uow() as u:
            u.idempotency.release(tenant_id, key)
        raise
