"""An instance told to stop (SIGTERM; the embedded stack's second instance): it finishes what it is doing first.

Stopping, an instance takes no new connection, answers the requests it is in
the middle of, lets its running questions end (their events still reach the
stream, so a follower resumes them from the other instance) and only then
exits. It is started again at cleanup. World facts written here: ``billing.payments``, ``operations.stopping``."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from decimal import Decimal

import requests
from hamcrest import assert_that, equal_to

from support.areas.billing import tasks as billing
from support.areas.operations.start_up import INSTANCE, second_instance
from support.areas.resilience import outages
from support.clients.faults import stack_action
from support.clients.paths import Operations
from support.clients.platform_api import PlatformApi
from support.clients.processor_reader import APPROVED_CARD
from support.report.evidence import attach_json
from support.scenario import builders
from support.scenario.actors import card_payment
from support.scenario.async_runner import run_async
from support.scenario.personas import FINANCE_PERSONA
from support.scenario.world import World

GOING_AWAY = 1012  # "service restart": what an instance says to the sockets it closes as it stops


def told_to_stop(world: World) -> Future:
    """Sends instance 2 SIGTERM (the stack control's ``stop``, which returns once the process has exited)."""
    _, control = second_instance(world)
    pool = ThreadPoolExecutor(1, thread_name_prefix="stop-instance-2")
    stopping = pool.submit(stack_action, control, INSTANCE, "stop")
    pool.shutdown(wait=False)

    def started_again() -> None:
        stopping.result(timeout=30)
        stack_action(control, INSTANCE, "start")

    world.on_final_cleanup(started_again)
    world.operations.stopping = stopping
    return world.operations.stopping


def pays_through_instance_2_as_it_stops(world: World, payer: str, amount: Decimal, currency: str) -> None:
    """The invoice paid through instance 2 with the processor slow to answer; once the charge has reached the
    processor, instance 2 is told to stop. The payment's answer is remembered as the last payment."""
    billing.paying_client_is(world, payer)
    billing.in_invoice_currency(world, currency)
    url, _ = second_instance(world)
    invoice = world.billing.invoice
    outages.processor_fault(world, answer_delay_ms=2000)
    received_before = outages.charges_received(world)
    api = PlatformApi(url, token=world.actor(FINANCE_PERSONA).token)
    with ThreadPoolExecutor(1) as pool:
        paying = pool.submit(card_payment, api, invoice["id"], amount, APPROVED_CARD, builders.idempotency_key())
        outages.charge_reached_processor(world, received_before)
        told_to_stop(world)
        world.billing.payments.append(paying.result(timeout=30))


def connection_closed_as_restarting(world: World, name: str) -> None:
    run = world.assistant.run
    if run.asker != name:
        raise AssertionError(f"the step speaks of {name}'s connection, but the last question was {run.asker}'s")
    code, reason = run_async(run.client.wait_closed(timeout=10))
    run.client.attach_transcript()
    assert_that(code, equal_to(GOING_AWAY), f"how instance 2 closed {name}'s connection (reason: {reason!r})")


def stopped_taking_nothing_new(world: World) -> None:
    url, _ = second_instance(world)
    stopped = world.operations.stopping.result(timeout=30)
    attach_json("instance 2 stopped", stopped)
    try:
        answer = requests.get(url + Operations.LIVE, timeout=2)
        refused = f"answered {answer.status_code}"
    except requests.ConnectionError:
        refused = "refused"
    assert_that(refused, equal_to("refused"), "a new connection to instance 2 once it has stopped")
