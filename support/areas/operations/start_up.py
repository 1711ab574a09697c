"""An instance started while a dependency is down (embedded stack): alive at once, ready once it returns.

Readiness names each dependency (``database``, ``cache``); without the
database an instance is not ready (503), without Redis it is ready but
degraded. The instance is started again as normal at cleanup, whatever
happened. Without the payment processor or the model it serves everything but the payments or the questions,
which it asks to be tried again later. A dependency that takes connections but never answers is found out by
its client's time-outs and, once the start-up time-out has passed, named in the instance's log.
World facts written here: ``billing.payments``, ``operations.start_settings``."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import requests
from hamcrest import assert_that, equal_to, has_entries, has_item

from support.areas.billing import checks as billing_checks
from support.areas.billing import tasks as billing
from support.areas.resilience.outages import answered_try_again_later
from support.clients import faults
from support.clients.faults import stack_action
from support.clients.paths import Operations
from support.clients.platform_api import Answer, PlatformApi
from support.clients.platform_logs import PlatformLogs
from support.clients.processor_reader import APPROVED_CARD
from support.report.evidence import attach_json
from support.scenario import builders
from support.scenario.actors import card_payment
from support.scenario.eventually import eventually
from support.scenario.facts import OperationsFacts, known
from support.scenario.personas import FINANCE_PERSONA
from support.scenario.world import World

INSTANCE = "platform-2"
REPORTED_AS = {
    "the database": "database",
    "Redis": "cache",
    "the payment processor": "payment_processor",
    "the analytics store": "analytics",
    "the language model": "model",
}
# the log's line: the time-out in seconds, then every dependency that did not answer within it
SILENT_NAMED = re.compile(r"no answer within the start-up time-out \(\d+(?:\.\d+)? s\) from: (.+)$")
READINESS = {"not ready": (503, "unavailable"), "ready but degraded": (200, "degraded")}


def second_instance(world: World) -> tuple[str, str]:
    config = world.inspectors.config
    if len(config.instance_urls) < 2 or not config.stack_control_url:
        raise AssertionError("only the embedded stack's second instance can be started again (STACK_CONTROL_URL)")
    return config.instance_urls[1], config.stack_control_url


def _health(url: str, which: str) -> tuple[int, dict[str, Any]]:
    response = requests.get(url + Operations.health(which), timeout=5)
    attach_json(f"GET instance 2 {Operations.health(which)} → {response.status_code}", response.json())
    return response.status_code, response.json()


# the setting that gives an instance each dependency's address, by the dependency's name in the features
ADDRESSED_BY = {
    "the database": ("DATABASE_URL", "postgresql://postgres@127.0.0.1:{port}/platform"),
    "Redis": ("REDIS_URL", "redis://127.0.0.1:{port}/0"),
}


def silent_dependency_for_instance_2(world: World, dependency: str) -> None:
    """Instance 2's next start is given, for ``dependency``, a port that takes connections and never answers."""
    silent = faults.SilentServer()
    world.on_final_cleanup(silent.close)  # after instance 2 has been started again as normal
    variable, url = ADDRESSED_BY[dependency]
    world.operations.start_settings = {variable: url.format(port=silent.port)}


def instance_started(world: World) -> None:
    """Instance 2 stopped and started again (with the addresses a step gave it, if any), waited for only until it
    is alive; at cleanup it is started again as normal."""
    _, control = second_instance(world)
    settings = world.operations.start_settings if known(world.operations, OperationsFacts.start_settings) else None
    again = "restart" if settings else "start"  # a start with other addresses is undone; else once it is back
    world.on_final_cleanup(lambda: stack_action(control, INSTANCE, again))
    try:
        attach_json("instance 2 started, alive", stack_action(control, INSTANCE, "boot", settings))
    except RuntimeError as failed:  # the control names why: the instance died or never answered
        last_line = str(failed).strip().rsplit("\\n", 2)[-2:]
        raise AssertionError(f"instance 2 did not stay alive once started: {' '.join(last_line)}") from None


def alive_and(world: World, readiness: str, dependency: str) -> None:
    url, _ = second_instance(world)
    live, _ = _health(url, "live")
    assert_that(live, equal_to(200), "instance 2's liveness")
    status, body = _health(url, "ready")
    expected_status, expected_word = READINESS[readiness]
    assert_that(status, equal_to(expected_status), "instance 2's readiness answer")
    assert_that(body, has_entries(status=expected_word), "instance 2's readiness")
    assert_that(body["dependencies"], has_entries({REPORTED_AS[dependency]: "down"}), f"{dependency}, as reported")


def ready_by_itself(world: World, timeout: float = 20) -> None:
    url, _ = second_instance(world)

    def every_dependency_up() -> None:
        status, body = _health(url, "ready")
        assert_that((status, body.get("status")), equal_to((200, "ready")), "instance 2's readiness")
        assert_that(set(body["dependencies"].values()), equal_to({"up"}), "instance 2's dependencies")

    eventually(every_dependency_up, timeout=timeout, interval=0.2)


def pays_through_instance_2(world: World, amount: Decimal, currency: str) -> Answer:
    """The remembered invoice paid by card through instance 2, taken by finance; remembered as the last payment."""
    billing.in_invoice_currency(world, currency)
    url, _ = second_instance(world)
    api = PlatformApi(url, token=world.actor(FINANCE_PERSONA).token)
    answer = card_payment(api, world.billing.invoice["id"], amount, APPROVED_CARD, builders.idempotency_key())
    world.billing.payments.append(answer)
    return answer


def payment_told_to_come_back(world: World, amount: Decimal, currency: str, seconds: int) -> None:
    """A payment through instance 2 is answered "try again later" in ``seconds`` (503 with Retry-After)."""
    answer = pays_through_instance_2(world, amount, currency)
    answered_try_again_later(world, answer)
    assert_that(answer.headers.get("Retry-After"), equal_to(str(seconds)), "when to try again (Retry-After)")


def payment_taken(world: World, amount: Decimal, currency: str) -> None:
    """A payment through instance 2 is accepted."""
    pays_through_instance_2(world, amount, currency)
    billing_checks.payment_accepted(world)


def log_names_the_silent(world: World, dependency: str, within: float = 10.0) -> None:
    """Instance 2's log names the dependency as not answering within its start-up time-out."""
    paths = (world.inspectors.config.platform_logs or "").split(",")
    if len(paths) < 2:
        raise AssertionError("reading instance 2's log needs the embedded stack's logs (PLATFORM_LOGS)")
    log = PlatformLogs(paths[1])

    def named() -> None:
        lines = log.lines_since([0], "no answer within the start-up time-out")
        said = [found.group(1).split(", ") for found in map(SILENT_NAMED.search, lines) if found]
        assert_that(
            said,
            has_item(has_item(REPORTED_AS[dependency])),
            f"{dependency} named in the log, after the time-out in seconds: {lines}",
        )

    eventually(named, timeout=within, interval=0.5)


def look_ups_made(world: World, count: int) -> None:
    """The last question's run set off exactly ``count`` look-ups before it ended."""
    started = [e for e in world.assistant.run.events if e["type"] == "tool_executing"]
    assert_that(len(started), equal_to(count), "look-ups the run set off")
