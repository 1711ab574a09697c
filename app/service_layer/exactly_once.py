"""Writes that move money run once per Idempotency-Key (Stripe's contract), whatever the write is.

One transaction holds the key (an advisory lock), does the work and stores the
answer. A concurrent duplicate finds the key held and is told so; a repeat
after completion gets the stored answer. If anything fails first, the
transaction rolls back, even when its connection is gone, and the key is free
again for a retry.
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
        if not u.idempotency.lock(tenant_id, key):
            raise Conflict("idempotency_key_in_use",
                           "a request with this Idempotency-Key is still running", field="Idempotency-Key")
        stored = u.idempotency.stored(tenant_id, key)
        if stored is not None:
            if stored.fingerprint != request_print:
                raise RuleViolation("idempotency_key_reused",
                                    "this Idempotency-Key was used with a different request", field="Idempotency-Key")
            return stored.response_status, stored.response_body
        answer = work(u)
        u.idempotency.store(tenant_id, key, request_print, *answer)
        return answer
