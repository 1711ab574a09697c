"""The outcomes a scenario checks, each through the API and, where it matters, in the database.

Every function asserts with PyHamcrest and leaves its evidence in the report.
"""

from __future__ import annotations

from decimal import Decimal

from hamcrest import (
    assert_that,
    contains_string,
    described_as,
    empty,
    equal_to,
    has_entries,
    has_length,
    has_properties,
)

from support.areas.billing import tasks as billing
from support.clients.paths import Billing
from support.scenario.matchers import accepted, amount_of, refused_because
from support.scenario.money_text import Money
from support.scenario.personas import OWNER_PERSONA
from support.scenario.world import World

REFUSAL_CODES = {
    "it exceeds the amount due": "overpayment",
    "the invoice is void": "invalid_state",
    "the card was declined": "payment_declined",
    "its key was already used": "idempotency_key_reused",
    "it exceeds what was paid": "refund_exceeds_payment",
}


STATUS_WORDS = {
    "paid": "paid",
    "partially paid": "partially_paid",
    "issued": "issued",
    "void": "void",
    "draft": "draft",
}


def _invoice_now(world: World) -> dict:
    invoice = world.billing.invoice
    return world.actor(OWNER_PERSONA).looks_at("invoices", invoice["id"])


def invoice_total_is(world: World, total: Decimal, currency: str) -> None:
    invoice = _invoice_now(world)
    assert_that(invoice["currency"], equal_to(currency), "the invoice currency")
    assert_that(invoice["total"], amount_of(total), "the invoice total")
    rows = world.db.rows("invoice", tenant=world.tenant_id, id=invoice["id"])
    if rows is not None:
        assert_that(rows[0]["total"], amount_of(total), "the stored invoice total")


def line_amounts_are(world: World, net: Money, tax: Money) -> None:
    invoice = _invoice_now(world)
    assert_that(
        (invoice["currency"], invoice["currency"]), equal_to((net.currency, tax.currency)), "the invoice currency"
    )
    line = invoice["lines"][0]
    assert_that(line, has_entries(net=amount_of(net.amount), tax=amount_of(tax.amount)), "the line's net and VAT")


def stored_invoice_agrees_with_lines(world: World) -> None:
    invoice = _invoice_now(world)
    shown = [line["position"] for line in invoice["lines"]]
    assert_that(shown, equal_to(list(range(1, len(shown) + 1))), "the lines numbered 1, 2, ... in the order given")
    rows = world.db.rows("invoice", tenant=world.tenant_id, id=invoice["id"])
    lines = world.db.rows("invoice_lines", tenant=world.tenant_id, id=invoice["id"])
    if rows is None or lines is None:
        return
    net = sum((line["net"] for line in lines), Decimal("0.00"))
    tax = sum((line["tax"] for line in lines), Decimal("0.00"))
    assert_that(
        rows[0],
        has_entries(net=amount_of(net), tax=amount_of(tax), total=amount_of(net + tax)),
        "the stored invoice's net, VAT and total are the sums of its stored lines",
    )


def invoice_status_is(world: World, status_words: str, due: Money | None = None) -> None:
    status = STATUS_WORDS[status_words]
    invoice = _invoice_now(world)
    assert_that(invoice["status"], equal_to(status), "the invoice status")
    if due is not None:
        assert_that(invoice["currency"], equal_to(due.currency), "the currency the invoice is due in")
        assert_that(invoice["amount_due"], amount_of(due.amount), "the amount still due")
    if status == "paid":
        assert_that(invoice["amount_due"], amount_of(Decimal("0.00")), "nothing is due on a paid invoice")
    voided = (invoice["voided_at"] is not None, invoice["void_reason"] is not None)
    assert_that(voided, equal_to((status == "void",) * 2), "when and why the invoice was voided, said only if it was")
    rows = world.db.rows("invoice", tenant=world.tenant_id, id=invoice["id"])
    payments = world.db.rows("payments", tenant=world.tenant_id, id=invoice["id"])
    refunds = world.db.rows("refunds", tenant=world.tenant_id, id=invoice["id"])
    if rows is not None and payments is not None and refunds is not None:
        paid = sum((p["amount"] for p in payments), Decimal("0.00")) - sum((r["amount"] for r in refunds), Decimal(0))
        assert_that(
            rows[0],
            has_entries(status=status, amount_paid=amount_of(paid)),
            "the stored invoice's status, and a paid amount equal to its stored payments less refunds",
        )


def payments_add_up_to(world: World, amount: Money) -> None:
    invoice = world.billing.invoice
    listed = world.actor(OWNER_PERSONA).lists(Billing.payments(invoice["id"]))
    assert_that(
        [p["currency"] for p in listed if p["currency"] != amount.currency],
        empty(),
        f"payments of the invoice in another currency than {amount.currency}",
    )
    assert_that(
        sum((Decimal(p["amount"]) for p in listed), Decimal("0.00")),
        equal_to(amount.amount),
        "the sum of the invoice's payments",
    )
    rows = world.db.rows("payments", tenant=world.tenant_id, id=invoice["id"])
    if rows is not None:
        assert_that(
            [r["currency"] for r in rows if r["currency"] != amount.currency],
            empty(),
            f"stored payments in another currency than {amount.currency}",
        )
        assert_that(
            sum((r["amount"] for r in rows), Decimal("0.00")), equal_to(amount.amount), "the sum of the stored payments"
        )


def no_payment_recorded(world: World) -> None:
    invoice = world.billing.invoice
    assert_that(
        world.actor(OWNER_PERSONA).lists(Billing.payments(invoice["id"])), empty(), "payments recorded for the invoice"
    )
    rows = world.db.rows("payments", tenant=world.tenant_id, id=invoice["id"])
    if rows is not None:
        assert_that(rows, empty(), "stored payments for the invoice")


def card_charged(world: World, times: int) -> None:
    charges = world.processor.charges_for_invoice(world.billing.invoice["id"])
    if charges is not None:
        assert_that(charges, has_length(times), "charges the payment processor made for the invoice")


def card_charged_once_with(world: World, amount: Money) -> None:
    charges = world.processor.charges_for_invoice(world.billing.invoice["id"])
    if charges is not None:
        assert_that(
            [(c["amount"], c["currency"]) for c in charges],
            equal_to([(f"{amount.amount:.2f}", amount.currency)]),
            "the charges the payment processor made for the invoice (amount, currency)",
        )


def payment_refused(world: World, reason: str) -> None:
    assert_that(
        billing.last_payment(world),
        refused_because(REFUSAL_CODES[reason]),
        "the payment, refused for the reason the step names",
    )


def payment_refused_by_the_processor(world: World) -> None:
    """502: the processor refused the request itself, so the client is not told to try again later."""
    answer = billing.last_payment(world)
    assert_that(
        (answer.status, answer.error_code, answer.headers.get("Retry-After")),
        equal_to((502, "dependency_refused", None)),
        f"the answer to the payment (status, reason, Retry-After): {answer.body}",
    )


def payment_accepted(world: World) -> None:
    assert_that(billing.last_payment(world), accepted(), "the payment")


def answers_describe_one_payment(world: World) -> None:
    first, second = world.billing.payments[-2:]
    assert_that(first, accepted(), "the first payment")
    assert_that(
        second,
        has_properties(status=first.status, body=first.body),
        "the retried request's answer replays the first one",
    )


def commission_earned(world: World, seller: str, amount: Money) -> None:
    rep = world.actor(seller)
    earned = world.actor(OWNER_PERSONA).lists(Billing.COMMISSIONS, user_id=rep.user_id)
    assert_that(
        [c["currency"] for c in earned if c["currency"] != amount.currency],
        empty(),
        f"{seller}'s commissions in another currency than {amount.currency}",
    )
    assert_that(
        sum((Decimal(c["amount"]) for c in earned), Decimal("0.00")), equal_to(amount.amount), f"{seller}'s commission"
    )
    rows = world.db.rows("commissions_of_user", tenant=world.tenant_id, id=rep.user_id)
    if rows is not None:
        assert_that(
            sum((r["amount"] for r in rows), Decimal("0.00")), equal_to(amount.amount), f"{seller}'s stored commission"
        )


def refund_accepted(world: World) -> None:
    assert_that(world.billing.refund.answer, accepted(), "the refund")


def refund_refused(world: World, reason: str) -> None:
    assert_that(
        world.billing.refund.answer,
        refused_because(REFUSAL_CODES[reason]),
        "the refund, refused for the reason the step names",
    )


def told_left_to_refund(world: World, name: str, amount: Money) -> None:
    """The refused refund tells the person who asked how much of the payment (in its currency) is left to refund."""
    answer = world.billing.refund.of(name)
    assert_that(answer, refused_because("refund_exceeds_payment"), "a refund past what is left of the payment")
    paid_in = {p.body["currency"] for p in world.billing.payments if p.status == 201}
    assert_that(paid_in, equal_to({amount.currency}), "the currency of the payment refunded")
    message = answer.body["error"]["message"]
    assert_that(message, contains_string(f" the {amount.amount:.2f} left to refund"), f"what {name} is told")


def no_commission_recorded(world: World, seller: str) -> None:
    """Not a commission of 0.00: no commission entry at all (a seller on no commission earns none)."""
    rep = world.actor(seller)
    earned = world.actor(OWNER_PERSONA).lists(Billing.COMMISSIONS, user_id=rep.user_id)
    assert_that(earned, described_as(f"{seller}'s commission entries", empty()))
    rows = world.db.rows("commissions_of_user", tenant=world.tenant_id, id=rep.user_id)
    if rows is not None:
        assert_that(rows, described_as(f"{seller}'s commissions stored", empty()))


def read_every_invoice_once(world: World, pages: int, count: int) -> None:
    read, made = world.billing.invoice_pages, world.billing.drafted
    assert_that([len(page) for page in read], has_length(pages), f"pages read: {[len(page) for page in read]}")
    everything = [invoice for page in read for invoice in page]
    assert_that(everything, equal_to(made), f"all {count} invoices, each once, oldest first")
    assert_that(len(made), equal_to(count), "invoices drafted")
