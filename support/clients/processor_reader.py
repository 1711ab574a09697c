"""What the payment processor saw: the charges made for one invoice, read from outside the platform."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import requests

from support.report.evidence import attach_json

APPROVED_CARD = "tok_visa"
DECLINED_CARD = "tok_chargeDeclined"


class PaymentProcessorView:
    def __init__(self, base_url: str | None) -> None:
        self._url = base_url.rstrip("/") if base_url else None

    @property
    def available(self) -> bool:
        return self._url is not None

    def charges_for_invoice(self, invoice_id: str, *, evidence: bool = True) -> list[dict[str, Any]] | None:
        """The charges the processor made for one invoice; None without its address. ``evidence=False``:
        nothing attached (a check of every scenario, which names what it finds wrong)."""
        if self._url is None:
            return None
        response = requests.get(f"{self._url}/v1/charges", params={"description": f"invoice {invoice_id}"}, timeout=5)
        response.raise_for_status()
        charges = response.json()
        if evidence:
            attach_json(f"payment processor: charges for invoice ({len(charges)})", charges)
        return charges

    def every_refund(self) -> list[dict[str, Any]] | None:
        """Every refund the processor made (charge, amount), nothing attached; None without its address."""
        if self._url is None:
            return None
        response = requests.get(f"{self._url}/v1/refunds", timeout=5)
        response.raise_for_status()
        return response.json()

    def refunds_of_charge(self, charge_id: str) -> list[dict[str, Any]]:
        """The refunds the processor made on one charge."""
        return self._double("/v1/refunds", f"refunds of charge {charge_id}", charge=charge_id)

    def _arrivals(self, invoice_id: str) -> list[float]:
        """When each charge request for one invoice arrived, in seconds after the first."""
        return self._double(
            "/_arrivals",
            "charge requests for the invoice, seconds after the first",
            description=f"invoice {invoice_id}",
        )

    def request_gaps(self, invoice_id: str) -> list[float]:
        """Seconds between the charge requests for one invoice, in the order they came (first retry first)."""
        return [later - earlier for earlier, later in pairwise(self._arrivals(invoice_id))]

    def charge_requests_for_invoice(self, invoice_id: str) -> int:
        """How many charge requests for one invoice reached the processor (retries included)."""
        return len(self._arrivals(invoice_id))

    def stats(self) -> dict[str, int]:
        """How many charge requests the processor received and answered, and the charges it made."""
        return self._double("/_stats", "requests seen")

    def _double(self, path: str, title: str, **params: str) -> Any:
        """What the double itself records (not part of a real processor's API), attached to the report."""
        if self._url is None:
            raise AssertionError(f"reading the processor's {title} needs PAYMENT_PROCESSOR_URL (its double)")
        response = requests.get(f"{self._url}{path}", params=params, timeout=5)
        response.raise_for_status()
        attach_json(f"payment processor: {title}", response.json())
        return response.json()
