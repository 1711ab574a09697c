"""The audit trail's hash chain recomputed from its entries as an outside auditor would, from the documented
recipe alone (docs/platform.md, "The audit trail's chain"): nothing of the platform's code is used."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

STARTING_VALUE = "0" * 64  # the previous hash of a company's first entry


def recomputed_hash(entry: dict[str, Any]) -> str:
    """SHA-256 of the entry's fields as compact JSON with sorted keys (its instant in UTC, ISO 8601)."""
    instant = datetime.fromisoformat(entry["occurred_at"].replace("Z", "+00:00")).astimezone(UTC)
    content = json.dumps(
        {
            "prev": entry["prev_hash"],
            "seq": entry["seq"],
            "action": entry["action"],
            "actor": entry["actor_id"],
            "entity": [entry["entity_type"], entry["entity_id"]],
            "at": instant.isoformat(),
            "data": entry["data"],
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(content.encode()).hexdigest()


def breaks(entries: list[dict[str, Any]]) -> list[str]:
    """Where the chain read oldest first does not hold, in words (empty: it holds from its starting value)."""
    found, previous = [], STARTING_VALUE
    for entry in entries:
        if entry["prev_hash"] != previous:
            found.append(f"entry {entry['seq']} follows {entry['prev_hash'][:12]}…, not {previous[:12]}…")
        if recomputed_hash(entry) != entry["hash"]:
            found.append(f"entry {entry['seq']}'s hash is not the hash of its own fields")
        previous = entry["hash"]
    return found
