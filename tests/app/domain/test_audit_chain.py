from datetime import UTC, datetime

from app.domain.audit import GENESIS_HASH, AuditRecord, entry_hash, first_broken_seq


def _chain(n):
    entries, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        record = AuditRecord(seq, "lead_captured", "u1", "lead", f"l{seq}", datetime(2026, 1, 1, tzinfo=UTC), {})
        digest = entry_hash(prev, record)
        entries.append((record, prev, digest))
        prev = digest
    return entries


def test_an_intact_chain_verifies():
    assert first_broken_seq(_chain(5)) is None


def test_an_altered_entry_breaks_the_chain_at_that_entry():
    entries = _chain(5)
    record, prev, digest = entries[2]
    entries[2] = (
        AuditRecord(
            record.seq,
            "deal_won",
            *[getattr(record, f) for f in ("actor_id", "entity_type", "entity_id", "occurred_at", "data")],
        ),
        prev,
        digest,
    )
    assert first_broken_seq(entries) == 3


def test_a_removed_entry_breaks_the_chain_after_the_gap():
    entries = _chain(5)
    del entries[1]
    assert first_broken_seq(entries) == 3
