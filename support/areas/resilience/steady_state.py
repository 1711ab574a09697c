"""The steady state of a company's money, checked before a fault and again after healing.

Every accepted payment is recorded exactly once (the processor's charges and
the platform's payments are the same set), every invoice's paid amount is the
sum of its payments less refunds and never above its total, every invoice is
whole (its lines add up to it), every payment is audited and every audited
payment exists, and the audit chain verifies.
"""

from __future__ import annotations

from hamcrest import assert_that, described_as, empty, equal_to, has_entries

from support.clients.paths import Compliance
from support.scenario.personas import COMPLIANCE_PERSONA
from support.scenario.world import World

MUST_BE_EMPTY = {
    "paid_amounts_not_matching_payments": "invoices whose paid amount is not their payments less refunds",
    "charges_recorded_twice": "charges recorded as more than one payment",
    "invoices_not_matching_lines": "invoices not whole (no lines, or lines not adding up)",
    "payments_without_audit": "payments with no audit entry",
    "audited_payments_missing": "audited payments that were never stored",
}


def holds(world: World) -> None:
    """Asserts the whole steady state of the scenario's home company."""
    db = world.db
    if db.available:
        for query, meaning in MUST_BE_EMPTY.items():
            assert_that(db.rows(query, tenant=world.tenant_id), described_as(f"no {meaning}", empty()))
        charged = _charges_made(world)
        recorded = sorted(row["processor_charge_id"] for row in db.rows("tenant_charge_ids", tenant=world.tenant_id))
        assert_that(
            recorded,
            equal_to(charged),
            "the charges the platform recorded, against those the processor "
            "made for this company's invoices (each exactly once)",
        )
    verification = (
        world.actor(COMPLIANCE_PERSONA).api.get(Compliance.AUDIT_VERIFY).expect_ok("verifying the audit trail")
    )
    assert_that(verification, has_entries(intact=True), "the audit chain after the fault")


def _charges_made(world: World) -> list[str]:
    invoices = world.db.rows("tenant_invoice_ids", tenant=world.tenant_id) or []
    charges: list[str] = []
    for invoice in invoices:
        charges += [charge["id"] for charge in world.processor.charges_for_invoice(str(invoice["id"])) or []]
    return sorted(charges)
