"""Work under way while a fault strikes (what the platform says about itself: ``readiness``).

Every fault is registered for healing where it is injected (``World.on_cleanup``),
so it is healed even when the scenario fails. A client here behaves as a good
client should: it sends a refused payment again with the same key.

World memory keys written here: ``payments`` (answers, as in ``journeys``),
``batch`` and ``batch_requests`` (payments sent together, and their answers), ``fault_answer``.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

from hamcrest import (
    assert_that,
    described_as,
    equal_to,
    greater_than,
    greater_than_or_equal_to,
    has_entries,
    has_length,
    less_than,
    only_contains,
)

from support.areas.billing import tasks as billing
from support.areas.compliance.approvals import pending_request_for
from support.areas.resilience import faults
from support.clients import readiness
from support.clients.platform_api import Answer, PlatformApi
from support.clients.processor_reader import APPROVED_CARD
from support.report.evidence import attach_json
from support.scenario import builders
from support.scenario.eventually import eventually
from support.scenario.personas import FINANCE_PERSONA
from support.scenario.world import World

TRY_AGAIN_LATER = 503


def _needed(url: str | None, what: str) -> str:
    if not url:
        raise AssertionError(f"this fault needs {what}")
    return url


def _control_url(world: World) -> str:
    return _needed(world.inspectors.stack_control_url, "the embedded stack's control (STACK_CONTROL_URL)")


def _processor_url(world: World) -> str:
    return _needed(world.inspectors.payment_processor_url, "the payment processor double (PAYMENT_PROCESSOR_URL)")


# --- faults ------------------------------------------------------------------------------------------------


def server_goes_down(world: World, server: str) -> None:
    outage = faults.ServerOutage(_control_url(world), server)
    world.remember(f"outage:{server}", outage)
    world.on_cleanup(outage.heal)


def server_comes_back(world: World, server: str) -> None:
    world.recall(f"outage:{server}").heal()
    if server == "postgres":
        eventually(lambda: readiness.ready(world.inspectors.platform_url), timeout=20)


def redis_pauses(world: World, seconds: int) -> None:
    pause = world.remember("redis_pause", faults.RedisPause(world.inspectors.redis_url, seconds * 1000))
    world.on_cleanup(pause.heal)


def redis_answers_again(world: World) -> None:
    world.recall("redis_pause").heal()


def processor_fault(world: World, **fault: Any) -> None:
    fault_set = faults.DoubleFault(_processor_url(world), fault)
    world.remember("processor_fault", fault_set)
    world.on_cleanup(fault_set.heal)


def processor_healed(world: World) -> None:
    world.recall("processor_fault").heal()


def poisoned_line(world: World, description: str) -> None:
    poison = faults.PoisonedInvoiceLine(world.inspectors.database_url, world.tenant_id, description)
    world.on_cleanup(poison.heal)


# --- payments while a fault strikes -------------------------------------------------------------------------


def pay_while_database_fails(world: World, amount: Decimal, how: str) -> Answer:
    """Pays the invoice; once the processor has made the charge and before the platform records it, the
    database fails ``how``: "connections cut" (pg_terminate_backend) or "restarts" (fast shutdown, start)."""
    processor_fault(world, answer_delay_ms=1500)
    received_before = world.processor.stats()["charge_requests_received"]
    with ThreadPoolExecutor(1) as pool:
        paying = pool.submit(billing.customer_pays, world, amount, world.recall("invoice")["currency"])
        eventually(
            lambda: assert_that(
                world.processor.stats()["charge_requests_received"],
                greater_than(received_before),
                "charge requests reaching the processor",
            ),
            timeout=10,
        )
        if how == "connections cut":
            faults.terminate_platform_connections(world.inspectors.database_url)
        else:
            faults.restart_server(_control_url(world), "postgres")
        answer = paying.result(timeout=30)
    processor_healed(world)
    return world.remember("fault_answer", answer)


def answered_try_again_later(world: World, answer: Answer | None = None) -> None:
    answer = answer or world.recall("fault_answer")
    assert_that(answer.status, equal_to(TRY_AGAIN_LATER), f"the answer while the fault lasted: {answer.body}")
    assert_that(int(answer.headers.get("Retry-After", "0")), greater_than(0), "the Retry-After header (seconds)")


def pay_while_records_held(world: World, payments: int, amount: Decimal, seconds: float) -> None:
    """``payments`` payments at once to one instance while a long job holds the company's records for
    ``seconds``: the first ones take every database connection waiting on the lock; the rest wait for one."""
    lock = faults.HeldTenantLock(world.inspectors.database_url, world.tenant_id)
    world.on_cleanup(lock.release)
    with ThreadPoolExecutor(1) as pool:
        sending = pool.submit(_send_at_once, world, payments, amount, [world.inspectors.platform_url])
        time.sleep(seconds)  # how long the long job runs: the fault itself, not a wait for a result
        lock.release()
        sending.result(timeout=60)


def overflow_told_to_retry(world: World) -> None:
    answers = world.recall("batch")
    statuses = sorted(a.status for a in answers)
    attach_json("answers of the burst", statuses)
    assert_that(statuses, only_contains(equal_to(201), equal_to(TRY_AGAIN_LATER)), "every answer: taken or retry")
    refused = [a for a in answers if a.status == TRY_AGAIN_LATER]
    assert_that(refused, described_as("requests told to retry (the pool was full)", has_length(greater_than(0))))
    for answer in refused:
        answered_try_again_later(world, answer)


def refused_ones_sent_again(world: World) -> None:
    """Every payment that was told to try again later is sent again once, with its own key."""
    finance = world.actor(FINANCE_PERSONA)
    again = [
        finance.takes_card_payment(**request)
        for request, answer in zip(world.recall("batch_requests"), world.recall("batch"), strict=False)
        if answer.status == TRY_AGAIN_LATER
    ]
    assert_that([a.status for a in again], only_contains(equal_to(201)), "the payments sent again")


def _payment_requests(
    world: World, payments: int, amount: Decimal, *, add_to_batch: bool = False
) -> list[dict[str, Any]]:
    invoice = world.recall("invoice")
    made = [
        {"invoice_id": invoice["id"], "amount": amount, "card_token": APPROVED_CARD, "key": builders.idempotency_key()}
        for _ in range(payments)
    ]
    if add_to_batch:
        world.recall("batch_requests").extend(made)
    else:
        world.remember("batch_requests", made)
    return made


def _send_at_once(
    world: World, payments: int, amount: Decimal, urls: list[str], *, retry_when_told: bool = False
) -> list[Answer]:
    """Sends the payments together, dealt over ``urls``; with ``retry_when_told`` a payment told to try
    again later is sent again with its key after the Retry-After delay (at most 1 s here), as a client would."""
    requests_sent = _payment_requests(world, payments, amount)
    token = world.actor(FINANCE_PERSONA).token

    def pay(index: int) -> Answer:
        api = PlatformApi(urls[index % len(urls)], token=token)
        request = requests_sent[index]
        for _ in range(30 if retry_when_told else 1):
            answer = api.post(
                f"/invoices/{request['invoice_id']}/payments",
                {"amount": f"{request['amount']:.2f}", "card_token": request["card_token"]},
                headers={"Idempotency-Key": request["key"]},
            )
            if answer.status != TRY_AGAIN_LATER:
                break
            time.sleep(min(1.0, float(answer.headers.get("Retry-After", "1"))))
        return answer

    with ThreadPoolExecutor(payments) as pool:
        return world.remember("batch", list(pool.map(pay, range(payments))))


# --- many at once -------------------------------------------------------------------------------------------


def many_pay_at_once(world: World, payments: int, amount: Decimal) -> None:
    """Payments sent together over every platform instance, each retried while told to try again later."""
    _send_at_once(world, payments, amount, world.inspectors.platform_urls, retry_when_told=True)


def batch_outcome(world: World, accepted: int, refused: int, reason_code: str) -> None:
    answers = world.recall("batch")
    attach_json("answers to the payments sent at once", [[a.status, a.error_code] for a in answers])
    assert_that([a for a in answers if a.status == 201], has_length(accepted), "payments accepted")
    assert_that(
        [a.error_code for a in answers if a.status != 201],
        equal_to([reason_code] * refused),
        "refusals, each for the same reason",
    )


def approve_at_once(world: World, approvers: list[str]) -> None:
    approval = pending_request_for(world, "payment")

    def approve(name: str) -> Answer:
        return world.actor(name).api.post(f"/approvals/{approval['id']}/approve", {})

    with ThreadPoolExecutor(len(approvers)) as pool:
        world.remember("batch", list(pool.map(approve, approvers)))


def one_decision_counts(world: World) -> None:
    statuses = sorted(a.status for a in world.recall("batch"))
    assert_that(
        statuses,
        equal_to([200] + [409] * (len(statuses) - 1)),
        "one approval taken, the others told it was already decided",
    )


def payments_refused_without_calling(world: World, tries: int) -> None:
    """More payments like the batch's, refused while the circuit is open: at once, the processor never asked.
    They join the batch, to be sent again later."""
    amount = world.recall("batch_requests")[0]["amount"]
    before = world.processor.stats()["charge_requests_received"]
    finance = world.actor(FINANCE_PERSONA)
    for request in _payment_requests(world, tries, amount, add_to_batch=True):
        began = time.monotonic()
        answer = finance.takes_card_payment(**request)
        took = time.monotonic() - began
        world.recall("batch").append(answer)
        answered_try_again_later(world, answer)
        assert_that(answer.error_code, equal_to("circuit_open"), "why the payment was refused")
        assert_that(took, less_than(1.0), "seconds to answer (no waiting on a dead processor)")
    assert_that(
        world.processor.stats()["charge_requests_received"],
        equal_to(before),
        "charge requests that reached the processor while the circuit was open",
    )


def try_payments(world: World, tries: int, amount: Decimal) -> None:
    """``tries`` payments one after another (each with its own key), remembered as one batch."""
    requests_sent = _payment_requests(world, tries, amount)
    finance = world.actor(FINANCE_PERSONA)
    world.remember("batch", [finance.takes_card_payment(**request) for request in requests_sent])


def all_told_to_try_again_later(world: World) -> None:
    for answer in world.recall("batch"):
        answered_try_again_later(world, answer)


def processor_saw(world: World, requests_count: int) -> None:
    assert_that(
        world.processor.stats()["charge_requests_received"] - world.recall("processor_requests_before"),
        equal_to(requests_count),
        "charge requests the processor received",
    )


def retries_backed_off(world: World, least_waits: list[float]) -> None:
    """Each retry came after at least its backoff: the n-th wait is no shorter than ``least_waits[n]``."""
    gaps = world.processor.request_gaps(world.recall("invoice")["id"])
    assert_that(gaps, has_length(len(least_waits)), "waits between the charge requests for the invoice")
    for number, (gap, least) in enumerate(zip(gaps, least_waits, strict=False), start=1):
        assert_that(gap, greater_than_or_equal_to(least), f"seconds waited before retry {number}")


def count_processor_requests(world: World) -> None:
    world.remember("processor_requests_before", world.processor.stats()["charge_requests_received"])


# --- a multi-row write that fails half-way ------------------------------------------------------------------


def try_to_draft_invoice(world: World, biller: str, lines: list[dict[str, str]]) -> Answer:
    answer = world.actor(biller).api.post("/invoices", {"project_id": world.recall("project")["id"], "lines": lines})
    return world.remember("fault_answer", answer)


def nothing_of_the_invoice_stored(world: World) -> None:
    answer = world.recall("fault_answer")
    assert_that(answer.status, equal_to(409), f"the answer to the refused invoice: {answer.body}")
    assert_that(world.actor(FINANCE_PERSONA).lists("/invoices"), has_length(0), "invoices listed")
    parts = world.db.rows("invoice_parts_of_tenant", tenant=world.tenant_id)
    if parts is not None:
        assert_that(
            parts[0],
            has_entries(invoices=0, lines=0, invoice_audit_entries=0),
            "invoice rows, line rows and invoice audit entries stored",
        )
