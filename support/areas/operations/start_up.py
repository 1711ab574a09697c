"""An instance started while a dependency is down (embedded stack): alive at once, ready once it returns.

Readiness names each dependency (``database``, ``cache``); without the
database an instance is not ready (503), without Redis it is ready but
degraded. The instance is started again as normal at cleanup, whatever
happened. World facts written here: none."""

from __future__ import annotations

from typing import Any

import requests
from hamcrest import assert_that, equal_to, has_entries

from support.clients.faults import stack_action
from support.clients.paths import Operations
from support.report.evidence import attach_json
from support.scenario.eventually import eventually
from support.scenario.world import World

INSTANCE = "platform-2"
REPORTED_AS = {
    "the database": "database",
    "Redis": "cache",
    "the payment processor": "payment_processor",
    "the analytics store": "analytics",
    "the language model": "model",
}
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


def instance_started(world: World) -> None:
    """Instance 2 stopped and started again, waited for only until it is alive."""
    _, control = second_instance(world)
    world.on_final_cleanup(lambda: stack_action(control, INSTANCE, "start"))  # once the dependency is back
    try:
        attach_json("instance 2 started, alive", stack_action(control, INSTANCE, "boot"))
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
