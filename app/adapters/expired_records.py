"""What is kept only until it expires is forgotten once it has: an idempotency key's answer (kept 24 hours) and a
signed-out session's revocation (kept while the session's token could still be used, and an hour more).

Every instance forgets on its own, a batch at a time: two doing it at once delete each row once. A revocation is
kept an hour past its token's expiry, so an instance whose clock runs behind the one forgetting still refuses the
token: its own check of the expiry refuses it by then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, Table, delete, select, text, tuple_

from app.adapters.tables import idempotency_keys, revoked_tokens

REVOCATION_KEPT_PAST_EXPIRY = timedelta(hours=1)
FORGOTTEN_AT_ONCE = 5_000  # rows a statement deletes: a backlog is forgotten in short transactions


@dataclass(frozen=True, slots=True)
class Forgotten:
    idempotency_keys: int
    revocations: int


def forget_expired(engine: Engine, now: datetime, *, at_once: int = FORGOTTEN_AT_ONCE) -> Forgotten:
    """Deletes every company's idempotency keys expired at ``now`` and the revocations of sessions that expired an
    hour before it, ``at_once`` rows a transaction until none is left. Returns how many of each."""
    keys = _forget(engine, idempotency_keys, (idempotency_keys.c.tenant_id, idempotency_keys.c.key), now, at_once)
    revocations = _forget(
        engine, revoked_tokens, (revoked_tokens.c.token_id,), now - REVOCATION_KEPT_PAST_EXPIRY, at_once
    )
    return Forgotten(keys, revocations)


def _forget(engine: Engine, table: Table, key: tuple, expired_by: datetime, at_once: int) -> int:
    forgotten = 0
    while True:
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.company', 'all', true)"))  # every company's
            expired = select(*key).where(table.c.expires_at <= expired_by).limit(at_once)
            deleted = conn.execute(delete(table).where(tuple_(*key).in_(expired))).rowcount
        forgotten += deleted
        if deleted < at_once:
            return forgotten
