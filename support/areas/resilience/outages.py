"""Outages: a server stopped, Redis paused, the processor failing, the database cutting connections, a poisoned write.

Every fault is registered for healing where it is injected (``World.on_cleanup``),
so it is healed even when the scenario fails. A client here behaves as a good
client should: it sends a refused payment again with the same key.

World facts written here: ``resilience.database_seats``, ``resilience.fault_answer``, ``resilience.outages``,
``resilience.processor_fault``, ``resilience.redis_pause``."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

from hamcrest import (
    assert_that,
    equal_to,
    greater_than,
    has_entries,
    has_length,
)

from support.areas.billing import tasks as billing
from support.areas.resilience import readiness
from support.clients import faults
from support.clients.paths import Billing
from support.clients.platform_api import Answer
from support.report.evidence import attach_json
from support.scenario.eventually import eventually
from support.scenario.matchers import accepted
from support.scenario.personas import FINANCE_PERSONA
from support.scenario.world import World

TRY_AGAIN_LATER = 503

# What the payment processor answers, as a feature says it -> the HTTP status its double sends
PROCESSOR_ANSWERS = {
    "a failure of its own": 500,
    "that it is unavailable": 503,
    "that it has had too many requests": 429,
    "that the request is wrong": 400,
    "a refusal it names no reason for": 499,
}


def _needed(url: str | None, what: str) -> str:
    if not url:
        raise AssertionError(f"this fault needs {what}")
    return url


def _control_url(world: World) -> str:
    return _needed(world.inspectors.config.stack_control_url, "the embedded stack's control (STACK_CONTROL_URL)")


def _processor_url(world: World) -> str:
    return _needed(
        world.inspectors.config.payment_processor_url, "the payment processor double (PAYMENT_PROCESSOR_URL)"
    )


# The servers the faults stop and start by their own means, by their names in the features (the processor is a
# double with faults of its own)
SERVERS = {"the database": "postgres", "Redis": "redis", "the analytics store": "analytics-store"}
PROCESSOR = "the payment processor"
MODEL = "the language model"  # a double too: down, it answers nothing


def server_goes_down(world: World, name: str) -> None:
    """Stops the server named (the database, Redis, the analytics store, the payment processor, the model)."""
    if name == PROCESSOR:
        processor_fault(world, down=True)
        return
    if name == MODEL:
        model = faults.DoubleFault(
            _needed(world.inspectors.config.model_url, "the model double (MODEL_URL)"), {"down": True}
        )
        world.resilience.outages["model"] = model
        world.on_cleanup(model.heal)
        return
    server = SERVERS[name]
    world.resilience.outages[server] = faults.ServerOutage(_control_url(world), server)
    world.on_cleanup(lambda: _back(world, server))


def server_comes_back(world: World, name: str) -> None:
    """Starts the server named again and waits until it answers."""
    if name == PROCESSOR:
        processor_healed(world)
        return
    _back(world, "model" if name == MODEL else SERVERS[name])


def _back(world: World, server: str) -> None:
    """The server started again; the database until the platform is ready, Redis until every instance hears it
    again (the next scenario's notices would otherwise be lost on an instance still subscribing)."""
    world.resilience.outages[server].heal()
    if server == "postgres":
        eventually(lambda: readiness.ready(world.inspectors.config.platform_url), timeout=20)
    if server == "redis":
        readiness.every_instance_hears_redis(world)


def redis_pauses(world: World, seconds: int) -> None:
    pause = world.resilience.redis_pause = faults.RedisPause(world.inspectors.config.redis_url, seconds * 1000)
    world.on_cleanup(pause.heal)


def redis_answers_again(world: World) -> None:
    world.resilience.redis_pause.heal()


def processor_fault(world: World, **fault: Any) -> None:
    fault_set = faults.DoubleFault(_processor_url(world), fault)
    world.resilience.processor_fault = fault_set
    world.on_cleanup(fault_set.heal)


def processor_healed(world: World) -> None:
    world.resilience.processor_fault.heal()


def poisoned_line(world: World, description: str) -> None:
    poison = faults.PoisonedInvoiceLine(world.inspectors.config.database_url, world.tenant_id, description)
    world.on_cleanup(poison.heal)


def standby_kept(world: World) -> None:
    """A standby of the database kept in step by synchronous streaming replication, at its second seat."""
    world.resilience.database_seats = faults.keep_database_standby(_control_url(world))


def primary_lost(world: World) -> None:
    """The database's primary lost and its standby promoted in its place."""
    world.resilience.database_seats = faults.fail_database_over(_control_url(world))


def charges_received(world: World) -> int:
    """How many charge requests the processor double has received so far."""
    return int(world.processor.stats()["charge_requests_received"])


def charge_reached_processor(world: World, received_before: int) -> None:
    """Waits until the processor has received a charge request beyond the ``received_before`` first ones."""
    eventually(
        lambda: assert_that(
            charges_received(world), greater_than(received_before), "charge requests reaching the processor"
        ),
        timeout=10,
    )


def pay_while_database_fails(world: World, amount: Decimal, currency: str, how: str) -> Answer:
    """Pays the invoice; once the processor has made the charge and before the platform records it, the
    database fails ``how``: "connections cut" (pg_terminate_backend), "restarts" (fast shutdown, start) or
    "primary lost" (killed, its standby promoted)."""
    billing.in_invoice_currency(world, currency)
    processor_fault(world, answer_delay_ms=1500)
    received_before = charges_received(world)
    with ThreadPoolExecutor(1) as pool:
        paying = pool.submit(billing.customer_pays, world, amount, world.billing.invoice["currency"])
        charge_reached_processor(world, received_before)
        if how == "connections cut":
            faults.terminate_platform_connections(world.inspectors.config.database_url)
        elif how == "primary lost":
            primary_lost(world)
        else:
            faults.restart_server(_control_url(world), "postgres")
        answer = paying.result(timeout=30)
    processor_healed(world)
    world.resilience.fault_answer = answer
    return world.resilience.fault_answer


def answered_try_again_later(world: World, answer: Answer | None = None) -> None:
    answer = answer or world.resilience.fault_answer
    assert_that(answer.status, equal_to(TRY_AGAIN_LATER), f"the answer while the fault lasted: {answer.body}")
    assert_that(int(answer.headers.get("Retry-After", "0")), greater_than(0), "the Retry-After header (seconds)")


def taken_at_once_or_when_sent_again(world: World) -> None:
    """The payment made while the database failed is taken: at once (the platform did its work again on a new
    connection) or, answered "try again later" (the database not back in time for that), when sent again with
    its key. Either way one payment, which the checks after this one count."""
    answer = world.resilience.fault_answer
    if answer.status == TRY_AGAIN_LATER:
        answered_try_again_later(world, answer)
        answer = billing.pay_again(world)
    attach_json(
        "how the payment was taken",
        {"at once": answer is world.resilience.fault_answer, "status": answer.status, "body": answer.body},
    )
    assert_that(answer, accepted(), "the payment made while the database failed, sent again if told to")


def try_to_draft_invoice(world: World, biller: str, lines: list[dict[str, str]]) -> Answer:
    answer = world.actor(biller).api.post(Billing.INVOICES, {"project_id": world.sales.project["id"], "lines": lines})
    world.resilience.fault_answer = answer
    return world.resilience.fault_answer


def nothing_of_the_invoice_stored(world: World) -> None:
    answer = world.resilience.fault_answer
    assert_that(answer.status, equal_to(409), f"the answer to the refused invoice: {answer.body}")
    assert_that(world.actor(FINANCE_PERSONA).lists(Billing.INVOICES), has_length(0), "invoices listed")
    parts = world.db.rows("invoice_parts_of_tenant", tenant=world.tenant_id)
    if parts is not None:
        assert_that(
            parts[0],
            has_entries(invoices=0, lines=0, invoice_audit_entries=0),
            "invoice rows, line rows and invoice audit entries stored",
        )


def writes_to_the_former_standby(world: World) -> None:
    """The company's records are read from the promoted standby, and every instance is ready."""
    seats = world.resilience.database_seats
    rows = world.db.rows("serving_port")
    if rows is not None:
        assert_that(rows[0]["port"], equal_to(seats["primary_port"]), "the port of the server the data is read from")
    readiness.readiness_everywhere(world)
