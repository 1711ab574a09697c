"""Entries appended in one transaction chain one after the other (the head read once, under its lock); a second
transaction starts from the head the first left, and the chain verifies end to end."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy import text

from app.adapters.audit_repository import AuditRepository
from app.domain.audit import GENESIS_HASH, AuditRecord, entry_hash


@pytest.fixture
def company(stack) -> uuid.UUID:
    made = uuid.uuid4()
    with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as owner:
        owner.execute(
            "INSERT INTO tenants (id, name, slug, audit_seq, audit_head, created_at) VALUES (%s, 'Chain', %s, 0, %s, now())",
            (made, f"chain-{made.hex[:8]}", GENESIS_HASH),
        )
    return made


def _append(repository: AuditRepository, n: int) -> None:
    repository.append(action="deal_moved", actor_id=None, entity_type="deal", entity_id=f"deal-{n}", data={"n": n})


def test_entries_of_one_transaction_and_the_next_chain_one_after_the_other(database, company):
    with database.begin() as conn:
        conn.execute(text("SELECT set_config('app.company', :c, true)"), {"c": str(company)})
        trail = AuditRepository(conn, company)
        for n in range(3):
            _append(trail, n)
    with database.begin() as conn:
        conn.execute(text("SELECT set_config('app.company', :c, true)"), {"c": str(company)})
        _append(AuditRepository(conn, company), 3)
        entries = AuditRepository(conn, company).entries(after_seq=0, limit=10)
        head = conn.execute(text("SELECT audit_seq, audit_head FROM tenants WHERE id = :c"), {"c": company}).one()
    assert [e["seq"] for e in entries] == [1, 2, 3, 4]
    previous = GENESIS_HASH
    for entry in entries:
        record = AuditRecord(
            seq=entry["seq"],
            action=entry["action"],
            actor_id=None,
            entity_type=entry["entity_type"],
            entity_id=entry["entity_id"],
            occurred_at=entry["occurred_at"],
            data=entry["data"],
        )
        assert (entry["prev_hash"], entry["hash"]) == (previous, entry_hash(previous, record)), entry["seq"]
        previous = entry["hash"]
    assert (head.audit_seq, head.audit_head) == (4, previous), "the company's head is the last entry's"
