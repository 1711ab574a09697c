"""The steady state of a company's money, checked before a fault and again after healing.

Its books balance (``support.invariants.books``: every invoice whole, its paid amount its payments less refunds
and never above its total, its status saying so, and the platform's payments and refunds exactly the charges and
refunds the processor made, each once), every payment is audited and every audited payment exists, and the
audit chain verifies.
"""

from __future__ import annotations

from hamcrest import assert_that, described_as, empty, has_entries

from support.clients.paths import Compliance
from support.invariants import books
from support.scenario.personas import COMPLIANCE_PERSONA
from support.scenario.world import World

MUST_BE_EMPTY = {
    "payments_without_audit": "payments with no audit entry",
    "audited_payments_missing": "audited payments that were never stored",
}


def holds(world: World) -> None:
    """Asserts the whole steady state of the scenario's home company."""
    db = world.db
    if db.available:
        assert_that(
            books.unbalanced(db, world.processor, world.tenant_id),
            described_as("the company's books balance", empty()),
        )
        for query, meaning in MUST_BE_EMPTY.items():
            assert_that(db.rows(query, tenant=world.tenant_id), described_as(f"no {meaning}", empty()))
    verification = (
        world.actor(COMPLIANCE_PERSONA).api.get(Compliance.AUDIT_VERIFY).expect_ok("verifying the audit trail")
    )
    assert_that(verification, has_entries(intact=True), "the audit chain after the fault")
