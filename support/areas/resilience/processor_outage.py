"""The payment processor failing: the circuit refuses at once, retries back off, and what the processor saw.

World facts written here: ``resilience.batch``, ``resilience.slow_payment``."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from hamcrest import (
    all_of,
    assert_that,
    equal_to,
    greater_than_or_equal_to,
    has_length,
    less_than,
    less_than_or_equal_to,
)

from support.areas.billing import tasks as billing
from support.areas.resilience import outages
from support.areas.resilience.contention import payment_requests
from support.areas.resilience.outages import answered_try_again_later
from support.scenario.personas import FINANCE_PERSONA
from support.scenario.world import World


def payments_refused_without_calling(world: World, tries: int) -> None:
    """More payments like the batch's, refused while the circuit is open: at once, the processor never asked.
    They join the batch, to be sent again later."""
    amount = world.resilience.batch_requests[0]["amount"]
    before = world.processor.stats()["charge_requests_received"]
    finance = world.actor(FINANCE_PERSONA)
    for request in payment_requests(world, tries, amount, add_to_batch=True):
        began = time.monotonic()
        answer = finance.takes_card_payment(**request)
        took = time.monotonic() - began
        world.resilience.batch.append(answer)
        answered_try_again_later(world, answer)
        assert_that(answer.error_code, equal_to("circuit_open"), "why the payment was refused")
        assert_that(took, less_than(0.3), "seconds to answer (no retry, no waiting on a dead processor)")
    assert_that(
        world.processor.stats()["charge_requests_received"],
        equal_to(before),
        "charge requests that reached the processor while the circuit was open",
    )


def try_payments(world: World, tries: int, amount: Decimal, currency: str) -> None:
    """``tries`` payments one after another (each with its own key), remembered as one batch."""
    billing.in_invoice_currency(world, currency)
    requests_sent = payment_requests(world, tries, amount)
    finance = world.actor(FINANCE_PERSONA)
    world.resilience.batch = [finance.takes_card_payment(**request) for request in requests_sent]


def slow_payment_starts(world: World, amount: Decimal, currency: str, seconds: int) -> None:
    """A payment whose charge the processor makes at once and answers ``seconds`` later; returns as soon as the
    charge has reached the processor, the payment going on meanwhile."""
    billing.in_invoice_currency(world, currency)
    outages.processor_fault(world, answer_delay_ms=seconds * 1000)
    received_before = outages.charges_received(world)
    pool = ThreadPoolExecutor(1)
    world.on_cleanup(lambda: pool.shutdown(wait=True))
    world.resilience.slow_payment = pool.submit(billing.customer_pays, world, amount, world.billing.invoice["currency"])
    outages.charge_reached_processor(world, received_before)


def slow_payment_accepted(world: World) -> None:
    """The slow payment's answer, waited for: accepted."""
    answer = world.resilience.slow_payment.result(timeout=30)
    assert_that(answer.status, equal_to(201), f"the slow payment's answer: {answer.body}")


def all_told_to_try_again_later(world: World) -> None:
    for answer in world.resilience.batch:
        answered_try_again_later(world, answer)


def processor_saw(world: World, requests_count: int) -> None:
    """Charge requests for the scenario's invoice that reached the processor (other scenarios' never count)."""
    assert_that(
        world.processor.charge_requests_for_invoice(world.billing.invoice["id"]),
        equal_to(requests_count),
        "charge requests the processor received for the invoice",
    )


def retries_backed_off(world: World, waits: list[tuple[float, float]]) -> None:
    """Each retry came after its backoff and not much later: the n-th wait lies within ``waits[n]``
    (seconds, least and most), measured between the requests' arrivals at the processor."""
    gaps = world.processor.request_gaps(world.billing.invoice["id"])
    assert_that(gaps, has_length(len(waits)), "waits between the charge requests for the invoice")
    for number, (gap, (least, most)) in enumerate(zip(gaps, waits, strict=True), start=1):
        assert_that(
            gap,
            all_of(greater_than_or_equal_to(least), less_than_or_equal_to(most)),
            f"seconds waited before retry {number}",
        )


def refunded_once(world: World, amount: Decimal, currency: str) -> None:
    """The processor made exactly one refund of ``amount`` on the charge of the last accepted payment."""
    billing.in_invoice_currency(world, currency)
    payment = billing.last_accepted_payment(world)
    refunds = world.processor.refunds_of_charge(payment["processor_charge_id"])
    assert_that([r["amount"] for r in refunds], equal_to([f"{amount:.2f}"]), "refunds the processor made on the charge")
