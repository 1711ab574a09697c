"""HTTP client of the payment processor (Stripe-like charges API).

The processor de-duplicates on the ``Idempotency-Key`` header, so a charge
retried with the same key after a lost answer is made once: that is what
makes the retries here safe. Every call goes through the processor's circuit
breaker, shared by all platform instances.

Two ways to wait for it, one reading of its answers: ``charge`` and ``refund``
block (a worker thread's caller); ``acharge`` and ``arefund`` await it on the
event loop over one kept-alive aiohttp pool. Use-case code the asynchronous
unit of work runs (synchronous code on the loop, in SQLAlchemy's greenlet) is
given ``OnTheLoop(gateway)``, whose ``charge`` and ``refund`` await the
processor there as each of its statements awaits the database: a payment taken
by an HTTP request holds no thread.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import requests
from sqlalchemy.util import await_

from app.adapters.circuit_breaker import CircuitBreaker
from app.adapters.retry_policy import is_transient, with_retries, with_retries_async
from app.domain.errors import DependencyRefused, DependencyUnavailable, PaymentDeclined

if TYPE_CHECKING:
    import aiohttp

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Charge:
    charge_id: str
    amount: Decimal
    currency: str


class CardProcessor(Protocol):
    """What the use cases ask of the processor (blocking calls, whichever way the adapter waits)."""

    def charge(
        self, *, amount: Decimal, currency: str, card_token: str, idempotency_key: str, description: str
    ) -> Charge: ...

    def refund(self, *, charge_id: str, amount: Decimal, idempotency_key: str) -> str: ...


class PaymentGateway:
    def __init__(self, base_url: str, *, timeout_seconds: float, breaker: CircuitBreaker) -> None:
        self._base = base_url.rstrip("/")
        self._timeout = timeout_seconds
        self._http = requests.Session()
        self._aio: aiohttp.ClientSession | None = None  # made on the event loop, at first use
        self.breaker = breaker

    def charge(
        self, *, amount: Decimal, currency: str, card_token: str, idempotency_key: str, description: str
    ) -> Charge:
        """Charges the card once per idempotency key.

        Raises:
            PaymentDeclined: the processor refused the card.
            DependencyUnavailable: no answer, a timeout or a server error after the retries, or the
                circuit is open; whether the card was charged is unknown, so retry with the same key.
        """
        body = _charge_body(amount, currency, card_token, description)
        return with_retries(
            lambda: self.breaker.call(
                lambda: _charged(*self._post("/v1/charges", body, idempotency_key)), counts_as_failure=is_transient
            )
        )

    async def acharge(
        self, *, amount: Decimal, currency: str, card_token: str, idempotency_key: str, description: str
    ) -> Charge:
        """``charge``, awaited on the event loop (same retries, same circuit, same errors)."""
        body = _charge_body(amount, currency, card_token, description)

        async def once() -> Charge:
            return _charged(*await self._apost("/v1/charges", body, idempotency_key))

        return await self._aguarded(once)

    def refund(self, *, charge_id: str, amount: Decimal, idempotency_key: str) -> str:
        """Gives back part or all of a charge once per key; returns the processor's refund id.

        Raises:
            DependencyUnavailable: no answer or a server error; retry with the same key.
        """
        body = _refund_body(charge_id, amount)
        return with_retries(
            lambda: self.breaker.call(
                lambda: _refunded(*self._post("/v1/refunds", body, idempotency_key)), counts_as_failure=is_transient
            )
        )

    async def arefund(self, *, charge_id: str, amount: Decimal, idempotency_key: str) -> str:
        """``refund``, awaited on the event loop."""
        body = _refund_body(charge_id, amount)

        async def once() -> str:
            return _refunded(*await self._apost("/v1/refunds", body, idempotency_key))

        return await self._aguarded(once)

    async def _aguarded(self, once: Callable[[], Awaitable[T]]) -> T:
        """``await once()`` through the breaker, retried with backoff while the processor fails transiently."""

        async def attempt() -> T:  # a coroutine function: tenacity awaits only what it can tell is one
            return await self.breaker.acall(once, counts_as_failure=is_transient)

        return await with_retries_async(attempt)

    def _post(self, path: str, body: dict[str, str], key: str) -> tuple[int, Any]:
        """The processor's status and its JSON body (None when it sent none)."""
        try:
            response = self._http.post(
                self._base + path, json=body, headers={"Idempotency-Key": key}, timeout=self._timeout
            )
        except requests.RequestException as exc:
            raise _unreachable(exc) from exc
        return response.status_code, _json_or_none(response.text)

    async def _apost(self, path: str, body: dict[str, str], key: str) -> tuple[int, Any]:
        import aiohttp  # loaded in the background since the instance started serving (model_client)

        if self._aio is None:  # aiohttp's own bound (100 connections), beyond what the payments' pool lets run at once
            self._aio = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout))
        try:
            async with self._aio.post(self._base + path, json=body, headers={"Idempotency-Key": key}) as response:
                return response.status, _json_or_none(await response.text())
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise _unreachable(exc) from exc

    def ping(self) -> bool:
        try:
            return self._http.get(self._base + "/health", timeout=1).ok
        except requests.RequestException:
            return False

    async def aclose(self) -> None:
        """Closes the event loop's pool (a later call makes a new one)."""
        if self._aio is not None:
            opened, self._aio = self._aio, None
            await opened.close()


class OnTheLoop:
    """The gateway for use-case code the asynchronous unit of work runs: its blocking-looking calls await the
    processor on the event loop (``sqlalchemy.util.await_``, the bridge SQLAlchemy's asyncio engine takes for
    every statement), so the code is the same whichever unit of work runs it. Called anywhere else, it raises
    ``MissingGreenlet`` rather than block the loop."""

    def __init__(self, gateway: PaymentGateway) -> None:
        self._gateway = gateway

    def charge(
        self, *, amount: Decimal, currency: str, card_token: str, idempotency_key: str, description: str
    ) -> Charge:
        return await_(
            self._gateway.acharge(
                amount=amount,
                currency=currency,
                card_token=card_token,
                idempotency_key=idempotency_key,
                description=description,
            )
        )

    def refund(self, *, charge_id: str, amount: Decimal, idempotency_key: str) -> str:
        return await_(self._gateway.arefund(charge_id=charge_id, amount=amount, idempotency_key=idempotency_key))


def _charge_body(amount: Decimal, currency: str, card_token: str, description: str) -> dict[str, str]:
    return {"amount": f"{amount:.2f}", "currency": currency, "source": card_token, "description": description}


def _refund_body(charge_id: str, amount: Decimal) -> dict[str, str]:
    return {"charge": charge_id, "amount": f"{amount:.2f}"}


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:  # a proxy's page, an empty answer
        return None


def _unreachable(exc: BaseException) -> DependencyUnavailable:
    """Named by the kind of failure only: the processor's address is not the caller's business."""
    return DependencyUnavailable("payment_processor", f"payment processor unreachable ({type(exc).__name__})")


def _charged(status: int, body: Any) -> Charge:
    if status == 402:
        reason = body.get("error", {}).get("message", "card declined") if isinstance(body, dict) else "card declined"
        raise PaymentDeclined(f"the card was declined: {reason}", field="card_token")
    _raise_unless_answered(status)
    try:
        return Charge(charge_id=body["id"], amount=Decimal(body["amount"]), currency=body["currency"])
    except (TypeError, KeyError, ArithmeticError) as exc:
        raise _unreadable("charge") from exc


def _refunded(status: int, body: Any) -> str:
    _raise_unless_answered(status)
    try:
        return body["id"]
    except (TypeError, KeyError) as exc:
        raise _unreadable("refund") from exc


def _unreadable(what: str) -> DependencyUnavailable:
    """A success whose answer names no charge (or refund): it may have been made, and the same key asked again
    gives the one made, so it is worth another try."""
    return DependencyUnavailable("payment_processor", f"the payment processor's answer named no {what}")


def _raise_unless_answered(status: int) -> None:
    """A server error or 429 is passing (retried, with the same key); any other error answer is final: the
    processor refused the request itself, and sending it again would be refused again."""
    if status >= 500 or status == 429:
        raise DependencyUnavailable("payment_processor", f"payment processor answered {status}")
    if status >= 400:
        raise DependencyRefused("payment_processor", f"the payment processor refused the request ({status})")
