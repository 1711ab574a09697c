"""What each platform instance says about itself: readiness, liveness and its circuits (``/health``).

World facts written here: ``resilience.times_opened``, ``resilience.watched_logs``.
"""

from __future__ import annotations

from typing import Any

import requests
from hamcrest import assert_that, described_as, empty, equal_to, has_entries, has_length, is_not, only_contains

from support.clients.paths import Operations
from support.clients.platform_logs import PlatformLogs
from support.clients.platform_metrics import counters
from support.report.evidence import attach_json
from support.scenario.eventually import eventually
from support.scenario.world import World


def _health(url: str, which: str, *, attach: bool = True) -> tuple[int, dict[str, Any]]:
    """``/health/ready`` or ``/health/live`` of one instance, attached to the report (unless ``attach`` is
    False: a wait that asks many times attaches what it saw last)."""
    response = requests.get(url.rstrip("/") + Operations.health(which), timeout=10)
    if attach:
        attach_json(f"GET {url}{Operations.health(which)} → {response.status_code}", response.json())
    return response.status_code, response.json()


def ready(url: str) -> dict[str, Any]:
    status, body = _health(url, "ready")
    if status != 200:
        raise AssertionError(f"not ready: {body}")
    return body


def every_instance_hears_redis(world: World, timeout: float = 10) -> None:
    """Waits until every instance says the cache is up again: Redis answers and the instance has subscribed
    anew, so a notice sent from now on (a settings reload, a cancellation) reaches it. What they said last is
    attached."""

    def cache_up_everywhere() -> list[dict[str, Any]]:
        bodies = [_health(url, "ready", attach=False)[1] for url in urls]
        for url, body in zip(urls, bodies, strict=True):
            assert_that(body["dependencies"], has_entries(cache="up"), f"the cache as {url} reports it")
        return bodies

    urls = world.inspectors.config.instance_urls
    attach_json("every instance hears Redis again", eventually(cache_up_everywhere, timeout=timeout, interval=0.1))


def readiness_everywhere(world: World) -> list[dict[str, Any]]:
    return [ready(url) for url in world.inspectors.config.instance_urls]


def circuit_is(world: World, dependency: str, state: str) -> None:
    for body in readiness_everywhere(world):
        assert_that(
            body["circuits"][dependency],
            has_entries(state=state),
            f"the {dependency} circuit as one instance reports it",
        )


def circuit_eventually(world: World, dependency: str, state: str, timeout: float = 10) -> None:
    eventually(lambda: circuit_is(world, dependency, state), timeout=timeout)


def _times_opened(world: World, dependency: str) -> int:
    """How often the circuit has opened, as the first instance reports it (the count is shared)."""
    return int(ready(world.inspectors.config.platform_url)["circuits"][dependency]["times_opened"] or 0)


def circuit_starts(world: World, dependency: str, state: str) -> None:
    """The circuit is in ``state`` everywhere; how often it had opened until now is kept."""
    circuit_eventually(world, dependency, state)
    world.resilience.times_opened[dependency] = _times_opened(world, dependency)


def circuit_opened_times(world: World, dependency: str, times: int) -> None:
    """Since the scenario's start the circuit opened exactly ``times`` times (a refusal never reopens it)."""
    assert_that(
        _times_opened(world, dependency) - world.resilience.times_opened[dependency],
        equal_to(times),
        f"times the circuit to {dependency} opened during the scenario",
    )


def dependency_down_platform_degraded(world: World, dependency: str) -> None:
    body = ready(world.inspectors.config.platform_url)
    assert_that(body, has_entries(status="degraded"), "overall readiness")
    assert_that(body["dependencies"], has_entries({dependency: "down"}), "the dependency as readiness reports it")


def circuits_unknown(world: World) -> None:
    """Without Redis, where the circuits live, readiness and the metrics both say each circuit's state is
    unknown (the metrics' -1), never closed."""
    url = world.inspectors.config.platform_url
    circuits = ready(url)["circuits"]
    assert_that(circuits, is_not(empty()), "the circuits readiness reports")
    assert_that([c["state"] for c in circuits.values()], only_contains("unknown"), "each circuit's state, in readiness")
    states = {name: value for name, value in counters([url]).items() if name.startswith("platform_circuit_state{")}
    assert_that(states, has_length(len(circuits)), "the circuits' states in the metrics")
    assert_that(list(states.values()), only_contains(-1.0), "each circuit's state in the metrics (-1: unknown)")


def database_reported_down(world: World) -> None:
    status, body = _health(world.inspectors.config.platform_url, "ready")
    assert_that(status, equal_to(503), "readiness without the database")
    assert_that(body["dependencies"], has_entries(database="down"), "the database, as reported")
    live, _ = _health(world.inspectors.config.platform_url, "live")
    assert_that(live, equal_to(200), "liveness: the process still serves")


def operators_watch_the_logs(world: World) -> None:
    """Marks where each instance's log ends now; later checks read what was written after."""
    logs = PlatformLogs(world.inspectors.config.platform_logs)
    world.resilience.watched_logs = (logs, logs.mark()) if logs.readable else None


def logged_connections_busy(world: World) -> None:
    """Some instance logged, since the operators began watching, that a request found no free database
    connection, naming the pool's limit (a warning, for the operators)."""
    _logs_say(world, "no free database connection: QueuePool limit", "a request found no free database connection")


def logged_circuit_opened(world: World, dependency: str, *, opened: bool) -> None:
    """Whether some instance logged that the circuit to ``dependency`` opened (a warning, for the operators)."""
    _logs_say(world, f"circuit {dependency} open after", f"the circuit to {dependency} opened", said=opened)


def _logs_say(world: World, containing: str, saying: str, *, said: bool = True) -> None:
    """Whether some instance's log, since the operators began watching, has a line ``containing`` (``saying``
    it, in words). Waits for a line that is due: an instance's log reaches its file a moment after it is
    written. A deployment's logs are not ours to read: nothing is checked there (its figures are, elsewhere)."""
    watched = world.resilience.watched_logs
    if watched is None:
        return
    logs, mark = watched

    def read() -> None:
        assert_that(
            logs.lines_since(mark, containing),
            described_as(f"log lines saying {saying}", is_not(empty()) if said else empty()),
            "what the instances' logs say since the operators began watching them",
        )

    if said:
        eventually(read, interval=0.5)
    else:
        read()
