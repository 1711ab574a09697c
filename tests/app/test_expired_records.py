"""What is kept only until it expires is forgotten once it has: an idempotency key's answer after its 24 hours, a
signed-out session's revocation an hour after the session would have expired. Both were kept for good, a row for
every payment and every sign-out.

The forgetting works here on a database of its own (the two tables and the companies they name), so the stack's
own instances and other tests' rows stay out of it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, insert, select

from app.adapters.expired_records import REVOCATION_KEPT_PAST_EXPIRY, forget_expired
from app.adapters.idempotency_store import IdempotencyStore
from app.adapters.tables import idempotency_keys, revoked_tokens, tenants
from tests.app.database_of_its_own import database_of_its_own

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
COMPANIES = (uuid.uuid4(), uuid.uuid4())


@pytest.fixture
def kept(stack) -> Iterator[Engine]:
    """A database holding only the keys, the revocations and their companies."""
    tables = [tenants, idempotency_keys, revoked_tokens]
    with database_of_its_own(stack.env["DATABASE_URL"], "expired", tables) as made:
        with made.begin() as conn:
            for n, company in enumerate(COMPANIES):
                conn.execute(
                    insert(tenants).values(
                        id=company,
                        name=f"C{n}",
                        slug=f"c-{n}{company.hex[:6]}",
                        audit_seq=0,
                        audit_head="0",
                        created_at=NOW,
                    )
                )
        yield made


def _keys(made: Engine, **expiring: timedelta) -> None:
    """A key of each company for each name, expiring that long after NOW (before it, when negative)."""
    with made.begin() as conn:
        for company in COMPANIES:
            for key, after in expiring.items():
                conn.execute(
                    insert(idempotency_keys).values(
                        tenant_id=company,
                        key=key,
                        fingerprint="f",
                        state="completed",
                        result={"status": 201},
                        created_at=NOW + after - timedelta(hours=24),
                        expires_at=NOW + after,
                    )
                )


def _revocations(made: Engine, **expiring: timedelta) -> None:
    with made.begin() as conn:
        for token, after in expiring.items():
            conn.execute(insert(revoked_tokens).values(token_id=token, tenant_id=COMPANIES[0], expires_at=NOW + after))


def test_every_company_s_expired_keys_are_forgotten_and_the_others_kept(kept):
    second = timedelta(seconds=1)
    _keys(kept, long_expired=-timedelta(days=30), just_expired=timedelta(0), expires_next=second)
    forgotten = forget_expired(kept, NOW)
    with kept.connect() as conn:
        left = sorted(conn.execute(select(idempotency_keys.c.key, idempotency_keys.c.tenant_id)).all())
    assert left == sorted(("expires_next", company) for company in COMPANIES), "a key still answering is kept"
    assert forgotten.idempotency_keys == 4


def test_a_revocation_is_kept_an_hour_past_its_session_s_expiry(kept):
    """An instance whose clock runs behind must still refuse a signed-out session that it holds not yet expired."""
    hour, second = REVOCATION_KEPT_PAST_EXPIRY, timedelta(seconds=1)
    _revocations(kept, expired_hours_ago=-2 * hour, expired_an_hour_ago=-hour, expired_just_now=-second, live=hour)
    assert forget_expired(kept, NOW).revocations == 2
    with kept.connect() as conn:
        left = sorted(conn.execute(select(revoked_tokens.c.token_id)).scalars())
    assert left == ["expired_just_now", "live"]


def test_a_backlog_is_forgotten_a_batch_at_a_time_until_none_is_left(kept):
    _keys(kept, **{f"old_{n}": -timedelta(minutes=n + 1) for n in range(7)})
    assert forget_expired(kept, NOW, at_once=3).idempotency_keys == 14
    with kept.connect() as conn:
        assert conn.execute(select(idempotency_keys)).all() == []


def test_a_key_looked_up_after_it_expired_is_forgotten_for_its_own_company_alone(kept):
    """Its answer is gone for its company (the same key is a new request there); another company's key of the same
    name, expired too, is the forgetting's to remove, not this look-up's."""
    a_minute_ago = datetime.now(UTC) - timedelta(minutes=1)
    _keys(kept, pay=a_minute_ago - NOW)
    with kept.begin() as conn:
        assert IdempotencyStore(conn, COMPANIES[0]).stored("pay") is None
    with kept.connect() as conn:
        left = conn.execute(select(idempotency_keys.c.tenant_id).where(idempotency_keys.c.key == "pay")).scalars()
        assert list(left) == [COMPANIES[1]]
