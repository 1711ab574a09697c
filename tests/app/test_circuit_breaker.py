"""The shared circuit breaker: opens after repeated failures, lets one probe through, closes on success."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import NoBackoff
from redis.retry import Retry

from app.adapters.circuit_breaker import TRUST_CLOSED_SECONDS, CircuitBreaker
from app.domain.errors import DependencyUnavailable


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def client(stack):
    with redis.Redis.from_url(stack.env["REDIS_URL"]) as connection:
        yield connection


def _fail() -> None:
    raise DependencyUnavailable("processor", "down")


def _breakers(client, clock, instances: int = 2) -> list[CircuitBreaker]:
    name = f"test-{uuid.uuid4().hex[:8]}"
    return [CircuitBreaker(client, name, threshold=3, reset_seconds=10, clock=clock) for _ in range(instances)]


def _call(breaker: CircuitBreaker, action) -> str:
    try:
        breaker.call(action, counts_as_failure=lambda exc: True)
        return "ok"
    except DependencyUnavailable as exc:
        return exc.code


def test_failures_on_any_instance_open_the_circuit_for_all(client):
    clock = Clock()
    first, second = _breakers(client, clock)
    assert [_call(first, _fail), _call(second, _fail), _call(first, _fail)] == ["dependency_unavailable"] * 3
    assert _call(second, lambda: "never called") == "circuit_open"
    assert second.state()["state"] == "open"


def test_after_the_pause_one_probe_goes_through_and_its_success_closes_the_circuit(client):
    clock = Clock()
    first, second = _breakers(client, clock)
    for _ in range(3):
        _call(first, _fail)
    clock.now += 10
    assert first.state()["state"] == "half_open"
    calls = []

    def probe_while_another_asks() -> str:
        calls.append(_call(second, lambda: "must wait"))  # the probe is taken: refused
        return "answered"

    assert _call(first, probe_while_another_asks) == "ok"
    assert calls == ["circuit_open"]
    assert first.state() == {"state": "closed", "failures": 0, "times_opened": 1}


def test_a_failed_probe_opens_the_circuit_again(client):
    clock = Clock()
    (breaker,) = _breakers(client, clock, instances=1)
    for _ in range(3):
        _call(breaker, _fail)
    clock.now += 10
    assert _call(breaker, _fail) == "dependency_unavailable"
    assert breaker.state()["state"] == "open"
    assert breaker.state()["times_opened"] == 2


def test_errors_that_are_not_the_dependency_failing_do_not_count(client):
    clock = Clock()
    (breaker,) = _breakers(client, clock, instances=1)
    for _ in range(5):
        with pytest.raises(ValueError):
            breaker.call(lambda: int("declined"), counts_as_failure=lambda exc: isinstance(exc, DependencyUnavailable))
    assert breaker.state()["state"] == "closed"


def test_a_health_check_that_fails_as_the_probe_opens_the_circuit_again_and_says_so(client, caplog):
    """Every opening is counted and logged alike, whoever made it: the operators read the log."""
    clock = Clock()
    (breaker,) = _breakers(client, clock, instances=1)
    for _ in range(3):
        _call(breaker, _fail)
    clock.now += 10
    caplog.clear()
    with caplog.at_level("WARNING", logger="app.breaker"):
        breaker.record_probe(answered=False)
    assert breaker.state()["state"] == "open"
    assert breaker.state()["times_opened"] == 2
    assert [r.getMessage() for r in caplog.records] == [f"circuit {breaker.name} open after a failed health check"]


def test_on_the_event_loop_a_closed_circuit_is_trusted_for_a_moment_then_asked_again(client, stack):
    """The hot path trusts a circuit it last saw closed for TRUST_CLOSED_SECONDS without asking Redis: a circuit
    another instance opened meanwhile lets this one's calls through until then, and from that instant on they
    are refused."""
    clock, moment = Clock(), Clock()  # the shared time, and this instance's own

    async def ok() -> str:
        return "answered"

    async def calls() -> list[str]:
        async with aioredis.Redis.from_url(stack.env["REDIS_URL"]) as async_client:
            name = f"test-{uuid.uuid4().hex[:8]}"
            here = CircuitBreaker(
                client, name, threshold=3, reset_seconds=10, clock=clock, async_client=async_client, monotonic=moment
            )
            there = CircuitBreaker(client, name, threshold=3, reset_seconds=10, clock=clock)
            told = []

            async def call() -> None:
                try:
                    told.append(await here.acall(ok, counts_as_failure=lambda exc: True))
                except DependencyUnavailable as exc:
                    told.append(exc.code)

            await call()  # asked Redis: closed, and now trusted
            for _ in range(3):
                _call(there, _fail)  # opened by another instance
            moment.now += TRUST_CLOSED_SECONDS / 2
            await call()  # trusted still
            moment.now = 1_000.0 + TRUST_CLOSED_SECONDS  # the instant the trust ends
            await call()
            return told

    assert asyncio.run(calls()) == ["answered", "answered", "circuit_open"]


def test_on_the_event_loop_a_failure_ends_the_trust_at_once(client, stack):
    """Failures of this instance's own calls that open the circuit are heeded by its next call, however soon."""
    clock, moment = Clock(), Clock()

    async def ok() -> str:
        return "answered"

    async def down() -> str:
        _fail()
        return "never"

    async def calls() -> list[str]:
        async with aioredis.Redis.from_url(stack.env["REDIS_URL"]) as async_client:
            here = CircuitBreaker(
                client,
                f"test-{uuid.uuid4().hex[:8]}",
                threshold=3,
                reset_seconds=10,
                clock=clock,
                async_client=async_client,
                monotonic=moment,
            )
            told = []
            for action in (ok, down, down, down, ok):  # all within the moment a closed circuit is trusted
                try:
                    told.append(await here.acall(action, counts_as_failure=lambda exc: True))
                except DependencyUnavailable as exc:
                    told.append(exc.code)
            return told

    failed = "dependency_unavailable"
    assert asyncio.run(calls()) == ["answered", failed, failed, failed, "circuit_open"]


def test_without_redis_the_call_is_made_and_the_operators_are_told_which_circuit_and_why(caplog):
    away = redis.Redis(host="127.0.0.1", port=1, retry=Retry(NoBackoff(), 0))  # nothing listens on port 1
    also_away = aioredis.Redis(host="127.0.0.1", port=1, retry=AsyncRetry(NoBackoff(), 0))
    breaker = CircuitBreaker(away, "processor", threshold=3, reset_seconds=10, async_client=also_away)

    async def asked() -> str:
        try:
            return await breaker.acall(_answered, counts_as_failure=lambda exc: True)
        finally:
            await also_away.aclose()

    with caplog.at_level("WARNING", logger="app.breaker"):
        assert breaker.call(lambda: "answered", counts_as_failure=lambda exc: True) == "answered"
        assert asyncio.run(asked()) == "answered"
    said = [r.getMessage() for r in caplog.records if r.name == "app.breaker"]
    assert said and all(m.startswith("circuit processor state unavailable (Redis): ") for m in said), said
    assert all("Connect" in m or "refused" in m for m in said), said


async def _answered() -> str:
    return "answered"
