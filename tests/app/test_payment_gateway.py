"""A payment processor that cannot be reached at all (nothing listens) or never answers: a charge and a refund
are unavailable, to be tried again with the same key, each counted by the circuit as a failure; readiness says
it is down, having waited for it one second."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
import requests

from app.adapters.payment_gateway import PaymentGateway
from app.domain.errors import DependencyUnavailable


class _CountingBreaker:
    """Lets every call through and counts those it would count as failures."""

    name = "payment_processor"

    def __init__(self) -> None:
        self.failures = 0

    def call(self, action: Callable[[], object], *, counts_as_failure: Callable[[BaseException], bool]) -> object:
        try:
            return action()
        except BaseException as exc:
            self.failures += counts_as_failure(exc)
            raise


@pytest.fixture
def nobody_listening() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # the port is free again: connections to it are refused


@pytest.fixture
def never_answering() -> Iterator[str]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)  # connections are taken by the kernel, and never read or answered
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        server.close()


def _charge(gateway: PaymentGateway) -> None:
    gateway.charge(
        amount=Decimal("10.00"), currency="EUR", card_token="tok_visa", idempotency_key="k1", description="INV-1"
    )


def test_a_processor_nobody_answers_for_is_unavailable_for_charges_and_refunds_and_each_try_is_a_failure(
    nobody_listening,
):
    breaker = _CountingBreaker()
    gateway = PaymentGateway(nobody_listening, timeout_seconds=1, breaker=breaker)  # type: ignore[arg-type]
    with pytest.raises(DependencyUnavailable, match="payment processor unreachable"):
        _charge(gateway)
    with pytest.raises(DependencyUnavailable, match="payment processor unreachable"):
        gateway.refund(charge_id="ch_1", amount=Decimal("5.00"), idempotency_key="k2")
    assert breaker.failures == 6, "three tries each, every one a failure for the circuit"
    assert gateway.ping() is False


def test_a_processor_that_never_answers_is_given_up_on_at_its_time_limit_and_readiness_within_a_second(
    never_answering,
):
    breaker = _CountingBreaker()
    gateway = PaymentGateway(never_answering, timeout_seconds=0.2, breaker=breaker)  # type: ignore[arg-type]
    with pytest.raises(DependencyUnavailable, match="payment processor unreachable"):
        _charge(gateway)
    assert breaker.failures == 3
    began = time.monotonic()
    assert gateway.ping() is False
    assert time.monotonic() - began >= 0.9, "readiness gives the processor its second"


def test_readiness_asks_the_processor_with_a_time_limit_of_one_second(nobody_listening, monkeypatch):
    gateway = PaymentGateway(nobody_listening, timeout_seconds=5, breaker=_CountingBreaker())  # type: ignore[arg-type]
    asked: list[dict] = []

    def silent(url: str, **options: object) -> None:
        asked.append({"url": url, **options})
        raise requests.Timeout("no answer")

    monkeypatch.setattr(gateway._http, "get", silent)
    assert gateway.ping() is False
    assert asked == [{"url": f"{nobody_listening}/health", "timeout": 1}]
