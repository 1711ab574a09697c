"""A payment's or a refund's Idempotency-Key sent again in every direction: on another invoice or payment, by a
colleague, by another company, for another amount.

A key belongs to one company and names one payment request (Stripe's contract): the same request by anyone
of the company replays the first answer; the key on anything else is refused as reused; another company's
identical key is another key.

World facts written here: ``billing.key_reuse``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hamcrest import assert_that, equal_to, has_entries

from support.areas.billing import tasks as billing
from support.clients.paths import Billing
from support.clients.processor_reader import APPROVED_CARD
from support.report.evidence import attach_json
from support.scenario import builders
from support.scenario.matchers import refused_because
from support.scenario.personas import FINANCE_PERSONA, OWNER_PERSONA, SALES_PERSONA
from support.scenario.world import World

DIRECTIONS = (
    "on another invoice of the company",
    "by Olivia, for the same payment",
    "by another company, for its own invoice",
)
OTHER_COMPANY = "Initech"


def _another_invoice(world: World, company: str | None, amount: Decimal) -> dict[str, Any]:
    """A fresh issued invoice of ``company`` (None: the scenario's own), for ``amount`` at 0% VAT."""
    seller, biller = world.actor(SALES_PERSONA, company), world.actor(FINANCE_PERSONA, company)
    lead = seller.captures_lead("Wayne Enterprises", amount, "EUR")
    deal = seller.converts(seller.qualifies(lead)).expect_ok("turning the lead into a deal")
    project = seller.wins(deal)["project_id"]
    line = builders.invoice_line(description="second delivery", unit_price=f"{amount:.2f}", tax_rate="0")
    return biller.issues(biller.drafts_invoice(project, [line]))


def sent_again(world: World, how: str) -> None:
    """The last payment's key (and body) sent again ``how`` the feature says."""
    first = world.billing.payment_request
    if how == "on another invoice of the company":
        invoice = _another_invoice(world, None, first["amount"])
        taker = world.actor(FINANCE_PERSONA)
    elif how == "by Olivia, for the same payment":
        invoice, taker = world.billing.invoice, world.actor(OWNER_PERSONA)
    elif how == "by another company, for its own invoice":
        invoice = _another_invoice(world, OTHER_COMPANY, first["amount"])
        taker = world.actor(FINANCE_PERSONA, OTHER_COMPANY)
    else:
        raise AssertionError(f"no direction called {how!r}; known: {', '.join(DIRECTIONS)}")
    answer = taker.takes_card_payment(invoice["id"], first["amount"], APPROVED_CARD, first["key"])
    world.billing.key_reuse = {"how": how, "invoice": invoice, "taker": taker, "answer": answer}


def answered_as_the_contract_says(world: World) -> None:
    """Another invoice: refused as a reused key, and that invoice unpaid and uncharged. Olivia: the first
    answer again, and one charge. Another company: a payment of its own, on its own invoice."""
    reuse, first = world.billing.key_reuse, billing.last_payment(world)
    how, answer, invoice = reuse["how"], reuse["answer"], reuse["invoice"]
    charges = world.processor.charges_for_invoice(invoice["id"])
    attach_json(f"the key sent again {how}", {"status": answer.status, "body": answer.body})
    if how == "on another invoice of the company":
        assert_that(answer, refused_because("idempotency_key_reused"), "the key sent again for another invoice")
        paid = reuse["taker"].lists(Billing.payments(invoice["id"]))
        assert_that(paid, equal_to([]), "payments recorded on the other invoice")
        if charges is not None:
            assert_that(charges, equal_to([]), "charges the processor made for the other invoice")
    elif how == "by Olivia, for the same payment":
        assert_that((answer.status, answer.body), equal_to((first.status, first.body)), "the answer Olivia got")
        if charges is not None:
            assert_that(len(charges), equal_to(1), "charges the processor made for the invoice")
    else:
        assert_that(answer.status, equal_to(201), f"Initech's payment with the same key: {answer.body}")
        assert_that(answer.body, has_entries(invoice_id=invoice["id"]), "the invoice Initech's payment is for")
        if charges is not None:
            assert_that(len(charges), equal_to(1), "charges the processor made for Initech's invoice")


REFUND_DIRECTIONS = (
    "by Olivia, for the same refund",
    "for another amount",
    "on another payment of the company",
    "by another company, for its own payment",
)


def _another_payment(world: World, company: str | None, amount: Decimal) -> dict[str, Any]:
    """A fresh invoice of ``company`` (None: the scenario's own) paid by card in full: its payment."""
    invoice = _another_invoice(world, company, amount)
    taker = world.actor(FINANCE_PERSONA, company)
    paid = taker.takes_card_payment(invoice["id"], amount, APPROVED_CARD, builders.idempotency_key())
    return dict(paid.expect_record("paying the other invoice"))


def refund_sent_again(world: World, how: str) -> None:
    """The last refund's key sent again ``how`` the feature says (``REFUND_DIRECTIONS``)."""
    first = world.billing.refund_request
    request, taker = dict(first), world.actor(FINANCE_PERSONA)
    if how == "by Olivia, for the same refund":
        taker = world.actor(OWNER_PERSONA)
    elif how == "for another amount":
        request["amount"] = first["amount"] - Decimal("0.01")
    elif how == "on another payment of the company":
        other = _another_payment(world, None, first["amount"])
        request.update(payment_id=other["id"], charge=other["processor_charge_id"])
    elif how == "by another company, for its own payment":
        taker = world.actor(FINANCE_PERSONA, OTHER_COMPANY)
        other = _another_payment(world, OTHER_COMPANY, first["amount"])
        request.update(payment_id=other["id"], charge=other["processor_charge_id"])
    else:
        raise AssertionError(f"no direction called {how!r}; known: {', '.join(REFUND_DIRECTIONS)}")
    world.billing.key_reuse = {
        "how": how,
        "request": request,
        "taker": taker,
        "answer": billing.refund(taker.api, request),
    }


def refund_answered_as_the_contract_says(world: World) -> None:
    """Olivia: the first refund's answer again, and the money given back once. Another amount or another
    payment of the company: refused as a reused key, nothing more given back. Another company: a refund of
    its own, of its own payment."""
    reuse, first = world.billing.key_reuse, world.billing.refund
    how, answer, request = reuse["how"], reuse["answer"], reuse["request"]
    attach_json(f"the refund's key sent again {how}", {"status": answer.status, "body": answer.body})
    if how == "by Olivia, for the same refund":
        assert_that((answer.status, answer.body), equal_to((first.answer.status, first.answer.body)), "Olivia's answer")
        given_back = 1
    elif how == "by another company, for its own payment":
        assert_that(answer.status, equal_to(201), f"Initech's refund with the same key: {answer.body}")
        given_back = 1
    else:
        assert_that(answer, refused_because("idempotency_key_reused"), f"the key sent again {how}")
        given_back = 1 if how == "for another amount" else 0  # the first refund's, on the first payment
    refunds = world.processor.refunds_of_charge(request["charge"])
    if refunds is not None:  # a processor we cannot read (a deployment's) is not counted
        assert_that(len(refunds), equal_to(given_back), "refunds the processor made of the payment's charge")
