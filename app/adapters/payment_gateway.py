"""HTTP client of the payment processor (Stripe-like charges API).

The processor de-duplicates on the ``Idempotency-Key`` header, so a charge
retried with the same key after a lost answer is made once: that is what
makes the retries here safe. Every call goes through the processor's circuit
breaker, shared by all platform instances.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import requests

from app.adapters.circuit_breaker import CircuitBreaker
from app.adapters.retry_policy import is_transient, with_retries
from app.domain.errors import DependencyRefused, DependencyUnavailable, PaymentDeclined


@dataclass(frozen=True, slots=True)
class Charge:
    charge_id: str
    amount: Decimal
    currency: str


class PaymentGateway:
    def __init__(self, base_url: str, *, timeout_seconds: float, breaker: CircuitBreaker) -> None:
        self._url = base_url.rstrip("/") + "/v1/charges"
        self._timeout = timeout_seconds
        self._http = requests.Session()
        self.breaker = breaker

    def _guarded(self, attempt):
        """``attempt`` through the breaker, retried with backoff while the processor fails transiently."""
        return with_retries(lambda: self.breaker.call(attempt, counts_as_failure=is_transient))

    def charge(
        self, *, amount: Decimal, currency: str, card_token: str, idempotency_key: str, description: str
    ) -> Charge:
        """Charges the card once per idempotency key.

        Raises:
            PaymentDeclined: the processor refused the card.
            DependencyUnavailable: no answer, a timeout or a server error after the retries, or the
                circuit is open; whether the card was charged is unknown, so retry with the same key.
        """
        return self._guarded(lambda: self._charge_once(amount, currency, card_token, idempotency_key, description))

    def _charge_once(
        self, amount: Decimal, currency: str, card_token: str, idempotency_key: str, description: str
    ) -> Charge:
        try:
            response = self._http.post(
                self._url,
                json={
                    "amount": f"{amount:.2f}",
                    "currency": currency,
                    "source": card_token,
                    "description": description,
                },
                headers={"Idempotency-Key": idempotency_key},
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            raise DependencyUnavailable("payment_processor", f"payment processor unreachable: {exc}") from exc
        if response.status_code == 402:
            reason = response.json().get("error", {}).get("message", "card declined")
            raise PaymentDeclined(f"the card was declined: {reason}", field="card_token")
        _raise_unless_answered(response)
        body = response.json()
        return Charge(charge_id=body["id"], amount=Decimal(body["amount"]), currency=body["currency"])

    def refund(self, *, charge_id: str, amount: Decimal, idempotency_key: str) -> str:
        """Gives back part or all of a charge once per key; returns the processor's refund id.

        Raises:
            DependencyUnavailable: no answer or a server error; retry with the same key.
        """
        return self._guarded(lambda: self._refund_once(charge_id, amount, idempotency_key))

    def _refund_once(self, charge_id: str, amount: Decimal, idempotency_key: str) -> str:
        try:
            response = self._http.post(
                self._url.rsplit("/charges", 1)[0] + "/refunds",
                json={"charge": charge_id, "amount": f"{amount:.2f}"},
                headers={"Idempotency-Key": idempotency_key},
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            raise DependencyUnavailable("payment_processor", f"payment processor unreachable: {exc}") from exc
        _raise_unless_answered(response)
        return response.json()["id"]

    def ping(self) -> bool:
        try:
            return self._http.get(self._url.rsplit("/v1", 1)[0] + "/health", timeout=1).ok
        except requests.RequestException:
            return False


def _raise_unless_answered(response: requests.Response) -> None:
    """A server error or 429 is passing (retried, with the same key); any other error answer is final: the
    processor refused the request itself, and sending it again would be refused again."""
    status = response.status_code
    if status >= 500 or status == 429:
        raise DependencyUnavailable("payment_processor", f"payment processor answered {status}")
    if status >= 400:
        raise DependencyRefused("payment_processor", f"the payment processor refused the request ({status})")
