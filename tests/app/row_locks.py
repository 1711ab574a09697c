"""What the tests of PostgreSQL's row locks share: a company of its own with one person in it, made directly in
the database, and transactions kept open while a block runs, one of which gives up on a lock at once (it is
refused only if it had to wait for the other's transaction)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy import Connection, text

WAITS_AT_MOST = "200ms"  # longer than any of these statements takes without waiting


def company_with_person(database_url: str, *, name: str, role: str) -> tuple[uuid.UUID, uuid.UUID]:
    """A new company named ``name`` with one person of ``role`` in it: (company, person)."""
    company, person = uuid.uuid4(), uuid.uuid4()
    slug = f"{name.lower()}-{company.hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as owner:
        owner.execute(
            "INSERT INTO tenants (id, name, slug, audit_seq, audit_head, created_at) VALUES (%s, %s, %s, 0, '0', now())",
            (company, name, slug),
        )
        owner.execute(
            "INSERT INTO users (id, tenant_id, email, name, role, password_hash, commission_rate, created_at)"
            " VALUES (%s, %s, %s, 'Someone', %s, 'x', 0, now())",
            (person, company, f"someone@{slug}.example", role),
        )
    return company, person


@contextmanager
def transaction(database, *, waits: bool = True, company: uuid.UUID | None = None) -> Iterator[Connection]:
    """A transaction kept open while the block runs; ``waits=False``: one that gives up on a lock at once;
    ``company``: the one whose rows it may see, chosen as the platform chooses it."""
    with database.connect() as conn, conn.begin():
        if company is not None:
            conn.execute(text("SELECT set_config('app.company', :c, true)"), {"c": str(company)})
        if not waits:
            conn.execute(text(f"SET LOCAL lock_timeout = '{WAITS_AT_MOST}'"))
        yield conn
