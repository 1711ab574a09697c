"""Contention: many payments, refunds or approvals at once on one invoice (a void among them), with the records
held or the pool full.

A client here behaves as a good client should: a payment told to try again
later is sent again with the same key. World facts written here: ``resilience.acknowledged_before_loss``,
``resilience.batch``, ``resilience.batch_requests``, ``resilience.pool_while_held``, ``resilience.read_seconds``,
``resilience.void``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from hamcrest import (
    assert_that,
    described_as,
    empty,
    equal_to,
    greater_than,
    has_length,
    only_contains,
)

from support.areas.billing import tasks as billing
from support.areas.compliance.approvals import pending_request_for
from support.areas.resilience import outages
from support.areas.resilience.outages import TRY_AGAIN_LATER, answered_try_again_later
from support.clients import platform_metrics
from support.clients.paths import Billing, Compliance, Sales
from support.clients.platform_api import Answer, PlatformApi
from support.clients.processor_reader import APPROVED_CARD
from support.report.evidence import attach_json
from support.scenario import builders
from support.scenario.actors import card_payment
from support.scenario.eventually import eventually
from support.scenario.personas import FINANCE_PERSONA
from support.scenario.together import sent_together
from support.scenario.world import World


def pay_while_records_held(world: World, payments: int, amount: Decimal, currency: str, seconds: float) -> None:
    """``payments`` payments at once to one instance while a long job holds the company's records for
    ``seconds``: the first ones take every connection of the payments' pool waiting on the lock; the rest wait
    for one. Once they do, the finance person reads the invoice from the same instance 3 times, each timed."""
    billing.in_invoice_currency(world, currency)
    lock = world.long_job_holding_records()
    url = world.inspectors.config.platform_url
    with ThreadPoolExecutor(2) as pool:
        sending = pool.submit(_send_at_once, world, payments, amount, [url])
        reading = pool.submit(_reads_once_the_pool_is_full, world, url)
        world.resilience.pool_while_held = _busiest_pool(url, seconds)  # the long job runs meanwhile
        lock.release()
        sending.result(timeout=60)
        world.resilience.read_seconds = reading.result(timeout=30)


def _reads_once_the_pool_is_full(world: World, url: str) -> list[float]:
    def full() -> None:
        figures = platform_metrics.pool_figures(url, PAYMENTS_POOL)
        assert_that(figures.get("waiting", 0), greater_than(0), "payments waiting for a connection of their pool")

    eventually(full, timeout=10)
    return _timed_invoice_reads(world, PlatformApi(url, token=world.actor(FINANCE_PERSONA).token), 3, "finance")


def _timed_invoice_reads(world: World, api: PlatformApi, reads: int, reader: str) -> list[float]:
    """``reads`` reads of the remembered invoice through ``api``, one after another: the seconds each took."""
    seconds = []
    for _ in range(reads):
        began = time.monotonic()
        api.get(Billing.invoice(world.billing.invoice["id"])).expect_ok(f"{reader} reading the invoice")
        seconds.append(round(time.monotonic() - began, 3))
    return seconds


PAYMENTS_POOL = "payments"  # the pool a payment's work takes its connection from (its own, as /metrics names it)


def _busiest_pool(url: str, seconds: float) -> dict[str, float]:
    """The payments' pool figures of one instance, read every 0.1 s for ``seconds``: of the readings with every
    connection in use (if any), the one with the most requests waiting (a connection handed from one request to
    the next is free for an instant, which a reading may catch)."""
    ends = time.monotonic() + seconds
    readings = [platform_metrics.pool_figures(url, PAYMENTS_POOL)]
    while time.monotonic() < ends:
        readings.append(platform_metrics.pool_figures(url, PAYMENTS_POOL))
        time.sleep(0.1)
    return max(readings, key=lambda f: (f.get("in_use", 0) >= f.get("size", 1), f.get("waiting", 0)))


def pool_showed_full_with_waiters(world: World) -> None:
    """While the records were held, the instance's figures showed every connection in use and requests waiting."""
    figures = world.resilience.pool_while_held
    attach_json("the database pool payments use while the records were held", figures)
    assert_that(figures.get("in_use"), equal_to(figures.get("size")), "connections in use: the whole pool")
    assert_that(figures.get("waiting", 0), greater_than(0), "requests waiting for a connection")


def pay_while_primary_lost(world: World, payments: int, amount: Decimal, currency: str) -> None:
    """``payments`` payments over every instance, one set off every 0.1 s (the processor answers each after
    0.3 s); once the first is acknowledged, the database's primary is lost and its standby promoted, so some
    were acknowledged before, some are in flight and the rest come after."""
    billing.in_invoice_currency(world, currency)
    outages.processor_fault(world, answer_delay_ms=300)
    made = payment_requests(world, payments, amount)
    token = world.actor(FINANCE_PERSONA).token
    urls = world.inspectors.config.instance_urls

    def pay(index: int) -> Answer:
        time.sleep(index * 0.1)  # the customers' pace: the load itself, not a wait for a result
        return _pay(PlatformApi(urls[index % len(urls)], token=token), made[index])

    with ThreadPoolExecutor(payments) as pool:
        paying = [pool.submit(pay, index) for index in range(payments)]

        def acknowledged() -> list[Answer]:
            return [f.result() for f in paying if f.done() and f.result().status == 201]

        eventually(lambda: assert_that(acknowledged(), has_length(greater_than(0)), "payments acknowledged"))
        world.resilience.acknowledged_before_loss = acknowledged()
        outages.primary_lost(world)
        world.resilience.batch = [f.result(timeout=60) for f in paying]
    outages.processor_healed(world)


@contextmanager
def _while_a_payment_is_in_flight(
    world: World, amount: Decimal, currency: str, processor_seconds: float
) -> Iterator[Future[Answer]]:
    """A payment whose charge the processor answers after ``processor_seconds``: the block runs once the charge has
    reached the processor, then the payment's answer is waited for (the future's) and the processor healed."""
    billing.in_invoice_currency(world, currency)
    outages.processor_fault(world, answer_delay_ms=int(processor_seconds * 1000))
    received_before = outages.charges_received(world)
    with ThreadPoolExecutor(1) as pool:
        paying = pool.submit(billing.customer_pays, world, amount, world.billing.invoice["currency"])
        outages.charge_reached_processor(world, received_before)
        yield paying
        paying.result(timeout=30)
    outages.processor_healed(world)


def reads_while_a_payment_is_in_flight(
    world: World, reader: str, reads: int, amount: Decimal, currency: str, processor_seconds: float
) -> None:
    """A payment whose charge the processor answers after ``processor_seconds``; once the charge has reached the
    processor, ``reader`` reads the invoice ``reads`` times, one after another, each timed."""
    api = world.actor(reader).api
    with _while_a_payment_is_in_flight(world, amount, currency, processor_seconds):
        world.resilience.read_seconds = _timed_invoice_reads(world, api, reads, reader)


def reads_answered_within(world: World, seconds: float) -> None:
    """Each read of the invoice while the payment was in flight was answered within ``seconds``."""
    taken = world.resilience.read_seconds
    attach_json("seconds each read of the invoice took", taken)
    assert_that(
        [read for read in taken if read > seconds], empty(), f"reads that waited more than {seconds} s for the payment"
    )


def deal_won_at_once(world: World, seller: str, times: int) -> None:
    """The remembered deal won ``times`` times at the same moment by the person named, over every instance."""
    deal, token, urls = world.sales.deal, world.actor(seller).token, world.inspectors.config.instance_urls

    def win(index: int) -> Answer:
        return PlatformApi(urls[index % len(urls)], token=token).post(Sales.deal(deal["id"], "win"))

    with ThreadPoolExecutor(times) as pool:
        world.resilience.batch = list(pool.map(win, range(times)))


def won_once(world: World, others: int) -> None:
    """One of the tries won the deal and every other was told it is no longer open; one delivery project."""
    answers = world.resilience.batch
    attach_json("answers to the tries", [[a.status, a.error_code] for a in answers])
    assert_that(
        sorted((a.status, a.error_code) for a in answers),
        equal_to([(200, None)] + [(409, "invalid_state")] * others),
        "the tries' answers: one win, every other refused as the deal is no longer open",
    )
    deal_id = world.sales.deal["id"]
    projects = [p for p in world.actor(FINANCE_PERSONA).lists(Sales.PROJECTS) if p["opportunity_id"] == deal_id]
    assert_that(projects, has_length(1), "the deal's delivery projects")


def each_taken_or_told_to_retry(world: World) -> list[Answer]:
    """Every answer of the burst is taken or "try again later" (with its Retry-After); returns the latter."""
    answers = world.resilience.batch
    statuses = sorted(a.status for a in answers)
    attach_json("answers of the burst", statuses)
    assert_that(statuses, only_contains(equal_to(201), equal_to(TRY_AGAIN_LATER)), "every answer: taken or retry")
    refused = [a for a in answers if a.status == TRY_AGAIN_LATER]
    for answer in refused:
        answered_try_again_later(world, answer)
    return refused


def overflow_told_to_retry(world: World) -> None:
    refused = each_taken_or_told_to_retry(world)
    assert_that(refused, described_as("requests told to retry (the pool was full)", has_length(greater_than(0))))
    for answer in refused:  # a full pool frees a connection within its time-out: the client is told so, both ways
        assert_that(
            (answer.headers.get("Retry-After"), answer.body["error"]["message"]),
            equal_to(("1", "every database connection is busy; try again in a second")),
            "a full pool's answer: try again in a second, and its Retry-After says the same",
        )


def acknowledged_ones_kept(world: World) -> None:
    """Every payment of the burst the platform acknowledged, before the primary was lost and after, is among the
    invoice's payments now."""
    before = [a.body["id"] for a in world.resilience.acknowledged_before_loss]
    acknowledged = [a.body["id"] for a in world.resilience.batch if a.status == 201]
    listed = {p["id"] for p in world.actor(FINANCE_PERSONA).lists(Billing.payments(world.billing.invoice["id"]))}
    attach_json("payments acknowledged", {"before the primary was lost": before, "in all": acknowledged})
    assert_that(
        [payment for payment in acknowledged if payment not in listed],
        empty(),
        f"payments acknowledged that are not recorded now ({len(before)} acknowledged before the primary was lost)",
    )


def refused_ones_sent_again(world: World) -> None:
    """Every payment that was told to try again later is sent again once, with its own key."""
    finance = world.actor(FINANCE_PERSONA)
    again = [
        finance.takes_card_payment(**request)
        for request, answer in zip(world.resilience.batch_requests, world.resilience.batch, strict=False)
        if answer.status == TRY_AGAIN_LATER
    ]
    # none may have been told to try again: a payment whose connection died is done again on a new one first
    refused_again = [a.status for a in again if a.status != 201]
    assert_that(refused_again, empty(), f"the payments sent again ({len(again)}) not taken")


def payment_requests(
    world: World, payments: int, amount: Decimal, *, add_to_batch: bool = False
) -> list[dict[str, Any]]:
    invoice = world.billing.invoice
    made = [
        {"invoice_id": invoice["id"], "amount": amount, "card_token": APPROVED_CARD, "key": builders.idempotency_key()}
        for _ in range(payments)
    ]
    if add_to_batch:
        world.resilience.batch_requests.extend(made)
    else:
        world.resilience.batch_requests = made
    return made


def _send_at_once(
    world: World, payments: int, amount: Decimal, urls: list[str], *, retry_when_told: bool = False
) -> list[Answer]:
    """Sends the payments together, dealt over ``urls``; with ``retry_when_told`` a payment told to try
    again later is sent again with its key after the Retry-After delay (at most 1 s here), as a client would."""
    requests_sent = payment_requests(world, payments, amount)
    token = world.actor(FINANCE_PERSONA).token

    def pay(index: int) -> Answer:
        return _pay(PlatformApi(urls[index % len(urls)], token=token), requests_sent[index], retry_when_told)

    with ThreadPoolExecutor(payments) as pool:
        world.resilience.batch = list(pool.map(pay, range(payments)))
        return world.resilience.batch


def _pay(api: PlatformApi, request: dict[str, Any], retry_when_told: bool = False) -> Answer:
    """One payment; with ``retry_when_told``, sent again with its key after each Retry-After (at most 1 s here)."""
    for _ in range(30 if retry_when_told else 1):
        answer = card_payment(api, **request)
        if answer.status != TRY_AGAIN_LATER:
            break
        time.sleep(min(1.0, float(answer.headers.get("Retry-After", "1"))))
    return answer


def many_pay_at_once(world: World, payments: int, amount: Decimal, currency: str) -> None:
    """Payments sent together over every platform instance, each retried while told to try again later."""
    billing.in_invoice_currency(world, currency)
    _send_at_once(world, payments, amount, world.inspectors.config.instance_urls, retry_when_told=True)


def many_refund_at_once(world: World, refunds: int, amount: Decimal, currency: str) -> None:
    """Refunds of ``amount`` of the last payment sent together over every platform instance, each with a key
    of its own, by the finance person."""
    billing.in_invoice_currency(world, currency)
    payment = billing.last_accepted_payment(world)
    urls, token = world.inspectors.config.instance_urls, world.actor(FINANCE_PERSONA).token

    def refund(index: int) -> Answer:
        request = {"payment_id": payment["id"], "amount": amount, "key": builders.idempotency_key()}
        return billing.refund(PlatformApi(urls[index % len(urls)], token=token), request)

    with ThreadPoolExecutor(refunds) as pool:
        world.resilience.batch = list(pool.map(refund, range(refunds)))


def same_payment_at_once(world: World, copies: int, amount: Decimal, currency: str) -> None:
    """One payment (one Idempotency-Key) sent ``copies`` times at the same moment over every instance, as a
    client that sends again at once would; nothing retried."""
    billing.in_invoice_currency(world, currency)
    (request,) = payment_requests(world, 1, amount)
    urls, token = world.inspectors.config.instance_urls, world.actor(FINANCE_PERSONA).token
    world.resilience.batch = sent_together(
        copies, lambda index: _pay(PlatformApi(urls[index % len(urls)], token=token), request)
    )


def taken_once_for_its_key(world: World) -> None:
    """One payment was made: every copy was answered with it (201, its id) or told the key is still in use."""
    answers = world.resilience.batch
    told = [(a.status, a.body.get("id") if a.status == 201 else a.error_code) for a in answers]
    attach_json("the copies' answers (status, payment or refusal)", told)
    made = {said for status, said in told if status == 201}
    assert_that(made, has_length(1), "payments made for one key sent several times at once")
    others = [t for t in told if t[0] != 201]
    assert_that(
        others,
        equal_to([(409, "idempotency_key_in_use")] * len(others)),
        "the copies not answered with the payment: each told its key is still in use",
    )


def void_while_a_payment_is_in_flight(
    world: World, voider: str, amount: Decimal, currency: str, processor_seconds: float
) -> None:
    """A payment whose charge the processor answers after ``processor_seconds``; once the charge has reached the
    processor, ``voider`` voids the invoice."""
    invoice = world.billing.invoice
    with _while_a_payment_is_in_flight(world, amount, currency, processor_seconds) as paying:
        world.resilience.void = world.actor(voider).api.post(
            Billing.invoice(invoice["id"], "void"), {"reason": "raised twice"}
        )
    world.resilience.batch = [paying.result()]


def void_refused_and_payment_taken(world: World) -> None:
    """The void waited for the payment in flight and was refused, the invoice having money on it; the payment
    was taken. Never a void invoice with money on it."""
    void, (payment,) = world.resilience.void, world.resilience.batch
    attach_json(
        "the void and the payment in flight", {"void": [void.status, void.error_code], "payment": payment.status}
    )
    assert_that(
        (void.status, void.error_code),
        equal_to((409, "invalid_state")),
        f"the void of an invoice being paid (told: {void.body})",
    )
    assert_that(payment.status, equal_to(201), "the payment in flight")


def batch_outcome(world: World, accepted: int, refused: int, reason_code: str, kind: str = "payments") -> None:
    """Of the ``kind`` (payments, refunds) sent at once, ``accepted`` were taken and ``refused`` refused, each
    for the reason coded ``reason_code``."""
    answers = world.resilience.batch
    attach_json(f"answers to the {kind} sent at once", [[a.status, a.error_code] for a in answers])
    assert_that([a for a in answers if a.status == 201], has_length(accepted), f"{kind} accepted")
    assert_that(
        [a.error_code for a in answers if a.status != 201],
        equal_to([reason_code] * refused),
        "refusals, each for the same reason",
    )


def approve_at_once(world: World, approvers: list[str]) -> None:
    approval = pending_request_for(world, "payment")

    def approve(name: str) -> Answer:
        return world.actor(name).api.post(Compliance.approval(approval["id"], "approve"), {})

    with ThreadPoolExecutor(len(approvers)) as pool:
        world.resilience.batch = list(pool.map(approve, approvers))


def one_decision_counts(world: World) -> None:
    """One approval answered 200; every other one 409 because the request is no longer pending (not for any
    other conflict, such as the payment's key being in use)."""
    answers = sorted(
        (a.status, a.error_code, "a decision is final" in a.body.get("error", {}).get("message", ""))
        for a in world.resilience.batch
    )
    attach_json("answers to the approvals sent at once (status, code, told a decision is final)", answers)
    assert_that(
        answers,
        equal_to([(200, None, False)] + [(409, "invalid_state", True)] * (len(answers) - 1)),
        "one approval taken, the others told it was already decided",
    )
