"""HTTP client of the payment processor (Stripe-like charges API).

The processor de-duplicates on the ``Idempotency-Key`` header, so a charge
retried with the same key after a lost answer is made once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import requests

from app.domain.errors import DependencyUnavailable, PaymentDeclined


@dataclass(frozen=True, slots=True)
class Charge:
    charge_id: str
    amount: Decimal
    currency: str


class PaymentGateway:
    def __init__(self, base_url: str, *, timeout_seconds: float) -> None:
        self._url = base_url.rstrip("/") + "/v1/charges"
        self._timeout = timeout_seconds
        self._http = requests.Session()

    def charge(self, *, amount: Decimal, currency: str, card_token: str, idempotency_key: str,
               description: str) -> Charge:
        """Charges the card once per idempotency key.

        Raises:
            PaymentDeclined: the processor refused the card.
            DependencyUnavailable: no answer, a timeout or a server error; whether
                the card was charged is unknown, so retry with the same key.
        """
        try:
            response = self._http.post(
                self._url,
                json={"amount": f"{amount:.2f}", "currency": currency, "source": card_token,
                      "description": description},
                headers={"Idempotency-Key": idempotency_key},
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            raise DependencyUnavailable("payment_processor", f"payment processor unreachable: {exc}") from exc
        if response.status_code == 402:
            reason = response.json().get("error", {}).get("message", "card declined")
            raise PaymentDeclined(f"the card was declined: {reason}", field="card_token")
        if response.status_code >= 500 or response.status_code == 429:
            raise DependencyUnavailable(
                "payment_processor", f"payment processor answered {response.status_code}")
        response.raise_for_status()
        body = response.json()
        return Charge(charge_id=body["id"], amount=Decimal(body["amount"]), currency=body["currency"])

    def refund(self, *, charge_id: str, amount: Decimal, idempotency_key: str) -> str:
        """Gives back part or all of a charge once per key; returns the processor's refund id.

        Raises:
            DependencyUnavailable: no answer or a server error; retry with the same key.
        """
        try:
            response = self._http.post(self._url.rsplit("/charges", 1)[0] + "/refunds",
                                       json={"charge": charge_id, "amount": f"{amount:.2f}"},
                                       headers={"Idempotency-Key": idempotency_key}, timeout=self._timeout)
        except requests.RequestException as exc:
            raise DependencyUnavailable("payment_processor", f"payment processor unreachable: {exc}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise DependencyUnavailable("payment_processor", f"payment processor answered {response.status_code}")
        response.raise_for_status()
        return response.json()["id"]

    def ping(self) -> bool:
        try:
            return self._http.get(self._url.rsplit("/v1", 1)[0] + "/health", timeout=1).ok
        except requests.RequestException:
            return False
