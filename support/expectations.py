"""The outcomes a scenario checks, each through the API and, where it matters, in the database.

Every function asserts with PyHamcrest and leaves its evidence in the report.
"""

from __future__ import annotations

from decimal import Decimal

from hamcrest import (
    assert_that, contains_exactly, empty, equal_to, has_entries, has_length, has_properties, is_not, only_contains,
)

from support import journeys
from support.matchers import accepted, amount_of, refused_because
from support.personas import OWNER_PERSONA
from support.world import World

ADMINISTRATION = frozenset({"tenant_created", "user_added", "settings_changed"})

REFUSAL_CODES = {
    "it exceeds the amount due": "overpayment",
    "the invoice is void": "invalid_state",
    "the card was declined": "payment_declined",
    "its key was already used": "idempotency_key_reused",
    "it exceeds what was paid": "refund_exceeds_payment",
}

STATUS_WORDS = {"paid": "paid", "partially paid": "partially_paid", "issued": "issued", "void": "void",
                "draft": "draft"}


def _invoice_now(world: World) -> dict:
    invoice = world.recall("invoice")
    return world.actor(OWNER_PERSONA).looks_at("invoices", invoice["id"])


def project_opened_with_kickoff(world: World, company: str) -> None:
    deal = world.recall("deal")
    assert_that(deal["project_id"], is_not(None), "a won deal names its delivery project")
    project = world.actor(OWNER_PERSONA).looks_at("projects", deal["project_id"])
    client = world.actor(OWNER_PERSONA).looks_at("clients", project["client_id"])
    assert_that(client["name"], equal_to(company), "the project is for the deal's client")
    assert_that(project["tasks"], has_length(3), "a new project has its kick-off tasks")
    assert_that([t["status"] for t in project["tasks"]], only_contains("open"))
    rows = world.db.rows("projects_for_company", tenant=world.tenant_id, company=company)
    if rows is not None:
        assert_that(rows, has_length(1), f"exactly one project is stored for {company}")
        tasks = world.db.rows("tasks_of_project", tenant=world.tenant_id, id=project["id"])
        assert_that([t["title"] for t in tasks], contains_exactly(*[t["title"] for t in project["tasks"]]))


def invoice_total_is(world: World, total: Decimal, currency: str) -> None:
    invoice = _invoice_now(world)
    assert_that(invoice["currency"], equal_to(currency), "the invoice currency")
    assert_that(invoice["total"], amount_of(total), "the invoice total")
    rows = world.db.rows("invoice", tenant=world.tenant_id, id=invoice["id"])
    if rows is not None:
        assert_that(rows[0]["total"], amount_of(total), "the stored invoice total")


def line_amounts_are(world: World, net: Decimal, tax: Decimal) -> None:
    line = _invoice_now(world)["lines"][0]
    assert_that(line, has_entries(net=amount_of(net), tax=amount_of(tax)), "the line's net and VAT")


def stored_invoice_agrees_with_lines(world: World) -> None:
    invoice = _invoice_now(world)
    rows = world.db.rows("invoice", tenant=world.tenant_id, id=invoice["id"])
    lines = world.db.rows("invoice_lines", tenant=world.tenant_id, id=invoice["id"])
    if rows is None or lines is None:
        return
    net = sum((line["net"] for line in lines), Decimal("0.00"))
    tax = sum((line["tax"] for line in lines), Decimal("0.00"))
    assert_that(rows[0], has_entries(net=amount_of(net), tax=amount_of(tax), total=amount_of(net + tax)),
                "the stored invoice's net, VAT and total are the sums of its stored lines")


def invoice_status_is(world: World, status_words: str, due: Decimal | None = None) -> None:
    status = STATUS_WORDS[status_words]
    invoice = _invoice_now(world)
    assert_that(invoice["status"], equal_to(status), "the invoice status")
    if due is not None:
        assert_that(invoice["amount_due"], amount_of(due), "the amount still due")
    if status == "paid":
        assert_that(invoice["amount_due"], amount_of(Decimal("0.00")), "nothing is due on a paid invoice")
    rows = world.db.rows("invoice", tenant=world.tenant_id, id=invoice["id"])
    payments = world.db.rows("payments", tenant=world.tenant_id, id=invoice["id"])
    refunds = world.db.rows("refunds", tenant=world.tenant_id, id=invoice["id"])
    if rows is not None and payments is not None and refunds is not None:
        paid = sum((p["amount"] for p in payments), Decimal("0.00")) - sum((r["amount"] for r in refunds), Decimal(0))
        assert_that(rows[0], has_entries(status=status, amount_paid=amount_of(paid)),
                    "the stored invoice's status, and a paid amount equal to its stored payments less refunds")


def payments_add_up_to(world: World, amount: Decimal) -> None:
    invoice = world.recall("invoice")
    listed = world.actor(OWNER_PERSONA).lists(f"/invoices/{invoice['id']}/payments")
    assert_that(sum((Decimal(p["amount"]) for p in listed), Decimal("0.00")), equal_to(amount),
                "the sum of the invoice's payments")
    rows = world.db.rows("payments", tenant=world.tenant_id, id=invoice["id"])
    if rows is not None:
        assert_that(sum((r["amount"] for r in rows), Decimal("0.00")), equal_to(amount),
                    "the sum of the stored payments")


def no_payment_recorded(world: World) -> None:
    invoice = world.recall("invoice")
    assert_that(world.actor(OWNER_PERSONA).lists(f"/invoices/{invoice['id']}/payments"), empty())
    rows = world.db.rows("payments", tenant=world.tenant_id, id=invoice["id"])
    if rows is not None:
        assert_that(rows, empty(), "stored payments for the invoice")


def card_charged(world: World, times: int) -> None:
    charges = world.processor.charges_for_invoice(world.recall("invoice")["id"])
    if charges is not None:
        assert_that(charges, has_length(times), "charges the payment processor made for the invoice")


def payment_refused(world: World, reason: str) -> None:
    assert_that(journeys.last_payment(world), refused_because(REFUSAL_CODES[reason]))


def payment_accepted(world: World) -> None:
    assert_that(journeys.last_payment(world), accepted())


def answers_describe_one_payment(world: World) -> None:
    first, second = world.recall("payments")[-2:]
    assert_that(first, accepted())
    assert_that(second, has_properties(status=first.status, body=first.body),
                "the retried request's answer replays the first one")


def commission_earned(world: World, seller: str, amount: Decimal) -> None:
    rep = world.actor(seller)
    earned = world.actor(OWNER_PERSONA).lists("/commissions", user_id=rep.user_id)
    assert_that(sum((Decimal(c["amount"]) for c in earned), Decimal("0.00")), equal_to(amount),
                f"{seller}'s commission")
    rows = world.db.rows("commissions_of_user", tenant=world.tenant_id, id=rep.user_id)
    if rows is not None:
        assert_that(sum((r["amount"] for r in rows), Decimal("0.00")), equal_to(amount),
                    f"{seller}'s stored commission")


def lead_cannot_become_deal(world: World, seller: str) -> None:
    assert_that(journeys.convert_lead(world, seller), refused_because("invalid_state"))


def no_deal_or_project_for(world: World, company: str) -> None:
    owner = world.actor(OWNER_PERSONA)
    lead = owner.looks_at("leads", world.recall("lead")["id"])
    assert_that(lead["opportunity_id"], equal_to(None), "the lead has no deal")
    assert_that(owner.lists("/opportunities"), empty(), "the tenant's deals")
    no_project_for(world, company)
    rows = world.db.rows("deals_for_company", tenant=world.tenant_id, company=company)
    if rows is not None:
        assert_that(rows, empty(), f"stored deals for {company}")


def no_project_for(world: World, company: str) -> None:
    assert_that(world.actor(OWNER_PERSONA).lists("/projects"), empty(), "the tenant's delivery projects")
    rows = world.db.rows("projects_for_company", tenant=world.tenant_id, company=company)
    if rows is not None:
        assert_that(rows, empty(), f"stored projects for {company}")


def deal_stage_is(world: World, stage: str) -> None:
    deal = world.actor(OWNER_PERSONA).looks_at("opportunities", world.recall("deal")["id"])
    assert_that(deal, has_entries(stage=stage, project_id=None))
    rows = world.db.rows("deals_for_company", tenant=world.tenant_id, company=world.recall("lead")["company"])
    if rows is not None:
        assert_that([r["stage"] for r in rows], contains_exactly(stage), "the stored deal's stage")


def _business_actions(world: World) -> list[str]:
    entries = world.actor(OWNER_PERSONA).lists("/audit")
    from_api = [e["action"] for e in entries if e["action"] not in ADMINISTRATION]
    rows = world.db.rows("audit_actions", tenant=world.tenant_id)
    if rows is not None:
        assert_that([r["seq"] for r in rows], equal_to(list(range(1, len(rows) + 1))),
                    "audit entries are numbered without gaps")
        from_db = [r["action"] for r in rows if r["action"] not in ADMINISTRATION]
        assert_that(from_db, equal_to(from_api), "the stored audit trail matches the one the platform shows")
    return [action.replace("_", " ") for action in from_api]


def audit_trail_is(world: World, actions: list[str]) -> None:
    assert_that(_business_actions(world), contains_exactly(*actions), "the audit trail, in order")


def audit_trail_ends_with(world: World, actions: list[str]) -> None:
    trail = _business_actions(world)
    assert_that(trail[-len(actions):], contains_exactly(*actions), "the end of the audit trail")


def refund_accepted(world: World) -> None:
    assert_that(world.recall("refund"), accepted())


def refund_refused(world: World, reason: str) -> None:
    assert_that(world.recall("refund"), refused_because(REFUSAL_CODES[reason]))
