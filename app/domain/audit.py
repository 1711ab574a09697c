"""The audit trail's hash chain, as pure functions.

Each entry's hash covers its content and the hash of the entry before it, so
changing or removing any entry breaks every hash after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    action: str
    actor_id: str | None
    entity_type: str
    entity_id: str
    occurred_at: datetime
    data: dict[str, Any]


def entry_hash(previous_hash: str, record: AuditRecord) -> str:
    content = json.dumps(
        {
            "prev": previous_hash,
            "seq": record.seq,
            "action": record.action,
            "actor": record.actor_id,
            "entity": [record.entity_type, record.entity_id],
            "at": record.occurred_at.astimezone(UTC).isoformat(),  # the same instant hashes the same anywhere
            "data": record.data,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(content.encode()).hexdigest()


def first_broken_seq(entries: Iterable[tuple[AuditRecord, str, str]]) -> int | None:
    """Walk (record, prev_hash, hash) in seq order; the seq of the first bad link, or None."""
    expected_prev = GENESIS_HASH
    for record, prev_hash, stored_hash in entries:
        if prev_hash != expected_prev or entry_hash(prev_hash, record) != stored_hash:
            return record.seq
        expected_prev = stored_hash
    return None
