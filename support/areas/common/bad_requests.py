"""Malformed requests, named as the business would describe the mistake.

Each entry sends one broken request through the actor's own session, so the
exchange is recorded like any other; the feature names only the mistake and
the field the platform must point at.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from support.clients.paths import Billing, Sales
from support.clients.platform_api import Answer, PlatformApi

GOOD_LEAD = {"company": "Globex", "contact_name": "Hank Scorpio", "estimated_value": "1000.00", "currency": "EUR"}
GOOD_PAYMENT = {"amount": "100.00", "card_token": "tok_visa"}

# What the feature calls a field -> the name the platform's error uses.
FIELDS = {
    "estimated value": "estimated_value",
    "company": "company",
    "currency": "currency",
    "amount": "amount",
    "card": "card_token",
    "discount": "discount",
    "content type": "Content-Type",
    "body": "body",
    "lead reference": "lead_id",
    "payment key": "Idempotency-Key",
}


def _json(api: PlatformApi, path: str, good: dict, **changes: Any) -> Answer:
    return api.post(path, {**good, **changes})


def _raw(api: PlatformApi, path: str, data: bytes | str, content_type: str, headers: dict | None = None) -> Answer:
    return api.call("POST", path, data=data, headers={"Content-Type": content_type, **(headers or {})})


def _mistakes(
    path: str, good: dict, money_field: str, headers: dict | None = None
) -> dict[str, Callable[[PlatformApi], Answer]]:
    def send(**changes: Any) -> Callable[[PlatformApi], Answer]:
        return lambda api: api.post(path, {**good, **changes}, headers=headers)

    return {
        "a negative amount": send(**{money_field: "-100.00"}),
        "a zero amount": send(**{money_field: "0.00"}),
        "an amount in fractions of a cent": send(**{money_field: "10.005"}),
        "an amount of a trillion euros": send(**{money_field: "1000000000000.00"}),
        "an amount written as a floating-point number": send(**{money_field: 12.5}),
        "an unknown discount field": send(discount="10"),
        "a form instead of JSON": lambda api: _raw(
            api, path, "company=Globex", "application/x-www-form-urlencoded", headers
        ),
        "a body of two megabytes": lambda api: _raw(
            api, path, json.dumps({**good, "padding": "x" * 2_000_000}), "application/json", headers
        ),
        "broken JSON": lambda api: _raw(api, path, '{"company": "Glob', "application/json", headers),
    }


def lead_mistakes() -> dict[str, Callable[[PlatformApi], Answer]]:
    mistakes = _mistakes(Sales.LEADS, GOOD_LEAD, "estimated_value")
    mistakes.update(
        {
            "an empty company name": lambda api: _json(api, Sales.LEADS, GOOD_LEAD, company=""),
            "a company name of 201 letters": lambda api: _json(api, Sales.LEADS, GOOD_LEAD, company="G" * 201),
            "a company name that is only spaces": lambda api: _json(api, Sales.LEADS, GOOD_LEAD, company="   "),
            "a control character in the company name": lambda api: _json(
                api, Sales.LEADS, GOOD_LEAD, company="Glo\x07bex"
            ),
            "a character that shows the company name backwards": lambda api: _json(
                api, Sales.LEADS, GOOD_LEAD, company="Glo\u202exebolG"
            ),
            "an unknown currency": lambda api: _json(api, Sales.LEADS, GOOD_LEAD, currency="XXX"),
        }
    )
    return mistakes


def payment_mistakes(invoice_id: str, key: str) -> dict[str, Callable[[PlatformApi], Answer]]:
    path = Billing.payments(invoice_id)
    mistakes = _mistakes(path, GOOD_PAYMENT, "amount", headers={"Idempotency-Key": key})
    mistakes["no payment key"] = lambda api: api.post(path, GOOD_PAYMENT)
    mistakes["a card reference with markup"] = lambda api: api.post(
        path, {**GOOD_PAYMENT, "card_token": "<script>"}, headers={"Idempotency-Key": key}
    )
    return mistakes
