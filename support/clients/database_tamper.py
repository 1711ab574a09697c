"""Deliberate tampering with the platform's database, named as such: the one write the harness makes.

Used only to prove that the platform notices. Every tamper is attached to the
report with the statement that made it.
"""

from __future__ import annotations

from sqlalchemy import create_engine, text

from support.report.evidence import attach_json

ALTER_AUDIT_ENTRY = (
    "UPDATE audit_entries SET data = data || CAST(:change AS jsonb) "
    "WHERE tenant_id = :tenant AND action = :action RETURNING seq"
)


ALTER_AUDIT_ENTRY_AT = (
    "UPDATE audit_entries SET data = data || CAST(:change AS jsonb) "
    "WHERE tenant_id = :tenant AND seq = (SELECT {which}(seq) FROM audit_entries WHERE tenant_id = :tenant) "
    "RETURNING seq"
)


def tamper_with_audit_entry_at(database_url: str, tenant_id: str, position: str) -> int:
    """Changes the data of the tenant's ``oldest`` or ``newest`` audit entry; returns its seq."""
    statement = ALTER_AUDIT_ENTRY_AT.format(which={"oldest": "min", "newest": "max"}[position])
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as conn:
            seq = conn.execute(text(statement), {"change": '{"total": "1.00"}', "tenant": tenant_id}).scalar_one()
    finally:
        engine.dispose()
    attach_json(
        f"TAMPER: the {position} audit entry ({seq}) altered in the database",
        {"statement": statement, "tenant": tenant_id, "seq": seq},
    )
    return int(seq)


def tamper_with_audit_entry(database_url: str, tenant_id: str, action: str) -> int:
    """Changes the data of the tenant's (single) audit entry for ``action``; returns its seq."""
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as conn:
            seqs = [
                row.seq
                for row in conn.execute(
                    text(ALTER_AUDIT_ENTRY), {"change": '{"total": "1.00"}', "tenant": tenant_id, "action": action}
                )
            ]
    finally:
        engine.dispose()
    if len(seqs) != 1:
        raise AssertionError(f"expected one '{action}' entry to tamper with, found {len(seqs)}")
    attach_json(
        f"TAMPER: audit entry {seqs[0]} ({action}) altered in the database",
        {"statement": ALTER_AUDIT_ENTRY, "tenant": tenant_id, "action": action, "seq": seqs[0]},
    )
    return seqs[0]
