"""A payment processor that cannot be reached at all (nothing listens) or never answers: a charge and a refund
are unavailable, to be tried again with the same key, each counted by the circuit as a failure; readiness says
it is down, having waited for it one second. The same awaited on the event loop, where the answers are read as
the blocking client reads them, and use-case code awaits the processor through ``OnTheLoop``."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from decimal import Decimal

import pytest
import requests
from aiohttp import web
from sqlalchemy.exc import MissingGreenlet
from sqlalchemy.util import greenlet_spawn

from app.adapters.payment_gateway import Charge, OnTheLoop, PaymentGateway
from app.domain.errors import DependencyRefused, DependencyUnavailable, PaymentDeclined
from tests.app.local_http import served


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


class _CountingAsyncBreaker(_CountingBreaker):
    async def acall(self, action, *, counts_as_failure):  # type: ignore[no-untyped-def]
        try:
            return await action()
        except BaseException as exc:
            self.failures += counts_as_failure(exc)
            raise


async def _acharge(gateway: PaymentGateway) -> Charge:
    try:
        return await gateway.acharge(
            amount=Decimal("10.00"), currency="EUR", card_token="tok_visa", idempotency_key="k1", description="INV-1"
        )
    finally:
        await gateway.aclose()


def test_on_the_event_loop_a_processor_nobody_answers_for_is_unavailable_and_each_try_is_a_failure(nobody_listening):
    breaker = _CountingAsyncBreaker()
    gateway = PaymentGateway(nobody_listening, timeout_seconds=1, breaker=breaker)  # type: ignore[arg-type]
    with pytest.raises(DependencyUnavailable, match="payment processor unreachable"):
        asyncio.run(_acharge(gateway))

    async def refund() -> str:
        try:
            return await gateway.arefund(charge_id="ch_1", amount=Decimal("5.00"), idempotency_key="k2")
        finally:
            await gateway.aclose()

    with pytest.raises(DependencyUnavailable, match="payment processor unreachable"):
        asyncio.run(refund())
    assert breaker.failures == 6, "three tries each, every one a failure for the circuit"


def test_on_the_event_loop_a_processor_that_never_answers_is_given_up_on_at_its_time_limit(never_answering):
    breaker = _CountingAsyncBreaker()
    gateway = PaymentGateway(never_answering, timeout_seconds=0.2, breaker=breaker)  # type: ignore[arg-type]
    began = time.monotonic()
    with pytest.raises(DependencyUnavailable, match=r"payment processor unreachable \(\w+\)"):
        asyncio.run(_acharge(gateway))
    assert breaker.failures == 3
    assert time.monotonic() - began < 2, "three tries of 0.2 s and their short waits, not the socket's default"


class _Processor:
    """A processor answering each charge with the next of ``answers`` (status, body), recording what it was sent."""

    def __init__(self, *answers: tuple[int, dict | str]) -> None:
        self.answers = list(answers)
        self.sent: list[tuple[str, dict, str | None]] = []

    async def serve(self, run: Callable[[str], Awaitable[object]]) -> object:
        async def answer(request: web.Request) -> web.Response:
            self.sent.append((request.path, await request.json(), request.headers.get("Idempotency-Key")))
            status, body = self.answers.pop(0)
            if isinstance(body, str):  # not JSON: a proxy's page, say
                return web.Response(text=body, status=status, content_type="text/html")
            return web.json_response(body, status=status)

        app = web.Application()
        app.router.add_post("/v1/charges", answer)
        app.router.add_post("/v1/refunds", answer)
        return await served(app, run)


def test_on_the_event_loop_a_charge_is_read_as_the_blocking_one_reads_it_retried_with_its_key():
    processor = _Processor(
        (503, {}), (201, {"id": "ch_9", "amount": "10.00", "currency": "EUR"}), (201, {"id": "re_1"})
    )

    async def charge_then_refund(url: str) -> tuple[Charge, str]:
        gateway = PaymentGateway(url, timeout_seconds=1, breaker=_CountingAsyncBreaker())  # type: ignore[arg-type]
        try:
            charged = await gateway.acharge(
                amount=Decimal("10"), currency="EUR", card_token="tok_visa", idempotency_key="k1", description="INV-1"
            )
            return charged, await gateway.arefund(charge_id="ch_9", amount=Decimal("2.5"), idempotency_key="k2")
        finally:
            await gateway.aclose()

    charged, refunded = asyncio.run(processor.serve(charge_then_refund))  # type: ignore[misc]
    assert charged == Charge(charge_id="ch_9", amount=Decimal("10.00"), currency="EUR")
    assert refunded == "re_1"
    body = {"amount": "10.00", "currency": "EUR", "source": "tok_visa", "description": "INV-1"}
    assert processor.sent == [
        ("/v1/charges", body, "k1"),
        ("/v1/charges", body, "k1"),  # the passing 503 tried again, with the same key
        ("/v1/refunds", {"charge": "ch_9", "amount": "2.50"}, "k2"),
    ]


def test_on_the_event_loop_a_declined_card_is_refused_with_the_processors_reason_and_not_tried_again():
    processor = _Processor((402, {"error": {"message": "insufficient funds"}}))

    async def charge(url: str) -> Charge:
        return await _acharge(PaymentGateway(url, timeout_seconds=1, breaker=_CountingAsyncBreaker()))  # type: ignore[arg-type]

    with pytest.raises(PaymentDeclined, match="the card was declined: insufficient funds"):
        asyncio.run(processor.serve(charge))  # type: ignore[arg-type]
    assert len(processor.sent) == 1


def test_use_case_code_run_on_the_event_loop_awaits_the_processor_there_and_never_blocks_elsewhere():
    class Awaited:
        async def acharge(self, **fields: object) -> Charge:
            await asyncio.sleep(0)
            return Charge(charge_id="ch_1", amount=fields["amount"], currency=fields["currency"])  # type: ignore[arg-type]

        async def arefund(self, **fields: object) -> str:
            await asyncio.sleep(0)
            return f"re_{fields['idempotency_key']}"

    on_the_loop = OnTheLoop(Awaited())  # type: ignore[arg-type]

    def use_case() -> tuple[Charge, str]:  # blocking-looking code, as the asynchronous unit of work runs it
        charged = on_the_loop.charge(
            amount=Decimal("1.00"), currency="EUR", card_token="tok_visa", idempotency_key="k", description="d"
        )
        return charged, on_the_loop.refund(charge_id="ch_1", amount=Decimal("1.00"), idempotency_key="k")

    assert asyncio.run(greenlet_spawn(use_case)) == (
        Charge(charge_id="ch_1", amount=Decimal("1.00"), currency="EUR"),
        "re_k",
    )
    with pytest.raises(MissingGreenlet):  # called from a worker thread's code it refuses rather than block
        use_case()


def test_a_request_the_processor_refuses_is_refused_at_once_whatever_its_body_and_not_tried_again():
    processor = _Processor((400, "<html>Bad Request</html>"))

    async def charge(url: str) -> Charge:
        return await _acharge(PaymentGateway(url, timeout_seconds=1, breaker=_CountingAsyncBreaker()))  # type: ignore[arg-type]

    with pytest.raises(DependencyRefused) as refused:
        asyncio.run(processor.serve(charge))  # type: ignore[arg-type]
    assert (refused.value.dependency, refused.value.message) == (
        "payment_processor",
        "the payment processor refused the request (400)",
    ), "the caller is told which service refused, and how"
    assert len(processor.sent) == 1, "a refusal is final: sending it again would be refused again"


def test_a_processor_failing_every_try_is_named_with_its_last_answer():
    processor = _Processor((503, {}), (502, {}), (500, {}))

    async def charge(url: str) -> Charge:
        return await _acharge(PaymentGateway(url, timeout_seconds=1, breaker=_CountingAsyncBreaker()))  # type: ignore[arg-type]

    with pytest.raises(DependencyUnavailable) as unavailable:
        asyncio.run(processor.serve(charge))  # type: ignore[arg-type]
    assert (unavailable.value.dependency, unavailable.value.message, unavailable.value.code) == (
        "payment_processor",
        "payment processor answered 500",
        "dependency_unavailable",
    ), "the caller is told which service failed, how, and that trying again later may help"
    assert len(processor.sent) == 3


@pytest.mark.parametrize(
    "answer",
    [
        "<html>OK</html>",  # not JSON
        {"amount": "10.00", "currency": "EUR"},  # no charge named
        {"id": "ch_1", "amount": "ten", "currency": "EUR"},  # no amount
    ],
    ids=["not JSON", "no id", "no amount"],
)
def test_a_success_whose_answer_names_no_charge_is_asked_again_with_its_key_then_unavailable(answer):
    processor = _Processor((201, answer), (201, answer), (201, answer))

    async def charge(url: str) -> Charge:
        return await _acharge(PaymentGateway(url, timeout_seconds=1, breaker=_CountingAsyncBreaker()))  # type: ignore[arg-type]

    with pytest.raises(DependencyUnavailable, match="the payment processor's answer named no charge"):
        asyncio.run(processor.serve(charge))  # type: ignore[arg-type]
    assert [key for _, _, key in processor.sent] == ["k1", "k1", "k1"], "asked again with the same key"


@pytest.mark.parametrize("answer", ["", {"refunded": True}], ids=["empty", "no id"])
def test_a_refund_whose_answer_names_none_is_unavailable(answer):
    processor = _Processor((200, answer), (200, answer), (200, answer))

    async def refund(url: str) -> str:
        gateway = PaymentGateway(url, timeout_seconds=1, breaker=_CountingAsyncBreaker())  # type: ignore[arg-type]
        try:
            return await gateway.arefund(charge_id="ch_1", amount=Decimal("1"), idempotency_key="k2")
        finally:
            await gateway.aclose()

    with pytest.raises(DependencyUnavailable, match="the payment processor's answer named no refund"):
        asyncio.run(processor.serve(refund))  # type: ignore[arg-type]
