"""Defects in how money is computed, taken and written."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from app.adapters import billing_repository, model_client, payment_gateway
from app.adapters.retry_policy import is_transient
from app.adapters.tables import invoice_lines, invoices
from app.domain import invoicing
from app.domain.clock import utc_now
from app.domain.money import round_to_cent
from app.service_layer import payments, refunds
from support.defects.planting import replace


def float_invoice_arithmetic() -> None:
    """Line net and VAT computed in binary floating point, then rounded: 2.5 x 19.99 comes to 49.97, not 49.98."""

    def line_amounts(quantity: Decimal, unit_price: Decimal, tax_rate_percent: Decimal) -> invoicing.LineAmounts:
        net = float(quantity) * float(unit_price)
        tax = net * float(tax_rate_percent) / 100
        return invoicing.LineAmounts(net=round_to_cent(Decimal(net)), tax=round_to_cent(Decimal(tax)))

    replace(invoicing, "line_amounts", line_amounts)


def overpayment_answers_500() -> None:
    """A payment above the amount due raises a bare ValueError instead of the rule's error: a 500."""
    original = invoicing.ensure_can_accept_payment

    def ensure_can_accept_payment(status: Any, total: Decimal, paid: Decimal, amount: Decimal) -> None:
        if amount > total - paid:
            raise ValueError(f"amount {amount} exceeds what is due")
        original(status, total, paid, amount)

    replace(invoicing, "ensure_can_accept_payment", ensure_can_accept_payment)


def idempotency_key_ignored() -> None:
    """Payments and refunds run every time they are sent, whatever their Idempotency-Key."""

    def run_once(uow: Any, company_id: Any, key: str, request: dict[str, Any], work: Any, **_codec: Any) -> Any:
        with uow(company=company_id) as u:
            return work(u)

    replace(payments, "run_once", run_once)
    replace(refunds, "run_once", run_once)


def retries_without_backoff() -> None:
    """Failed calls to the processor and the model are repeated at once, with no wait between attempts."""

    def with_retries(attempt: Any, *, attempts: int = 3, **_: Any) -> Any:
        for number in range(1, attempts + 1):
            try:
                return attempt()
            except Exception as exc:
                if number == attempts or not is_transient(exc):
                    raise
        raise AssertionError("unreachable")

    async def with_retries_async(attempt: Any, *, attempts: int = 3, **_: Any) -> Any:
        for number in range(1, attempts + 1):
            try:
                return await attempt()
            except Exception as exc:
                if number == attempts or not is_transient(exc):
                    raise
        raise AssertionError("unreachable")

    replace(payment_gateway, "with_retries", with_retries)
    replace(payment_gateway, "with_retries_async", with_retries_async)
    replace(model_client, "with_retries_async", with_retries_async)


def invoice_written_row_by_row() -> None:
    """An invoice and each of its lines are committed one by one, outside the request's transaction."""

    def add_invoice(
        self: billing_repository.BillingRepository, *, lines: list[dict[str, Any]], **fields: Any
    ) -> dict[str, Any]:
        company_id = self._company
        invoice = {"id": uuid.uuid4(), "tenant_id": company_id, "created_at": utc_now(), **fields}
        with self._conn.engine.begin() as own:
            invoice = dict(own.execute(insert(invoices).values(**invoice).returning(*invoices.c)).mappings().one())
        for position, line in enumerate(lines, start=1):
            with self._conn.engine.begin() as own:
                own.execute(
                    insert(invoice_lines).values(
                        id=uuid.uuid4(), tenant_id=company_id, invoice_id=invoice["id"], position=position, **line
                    )
                )
        return invoice

    replace(billing_repository.BillingRepository, "add_invoice", add_invoice)


def payment_charged_in_euros() -> None:
    """Every payment is charged and recorded in euros, whatever the invoice's currency (600.00 USD taken as EUR)."""
    original_charge = payment_gateway.PaymentGateway.charge
    original_acharge = payment_gateway.PaymentGateway.acharge
    original_add = billing_repository.BillingRepository.add_payment

    def charge(self: Any, **fields: Any) -> Any:
        return original_charge(self, **{**fields, "currency": "EUR"})

    async def acharge(self: Any, **fields: Any) -> Any:
        return await original_acharge(self, **{**fields, "currency": "EUR"})

    def add_payment(self: Any, **fields: Any) -> dict[str, Any]:
        return original_add(self, **{**fields, "currency": "EUR"})

    replace(payment_gateway.PaymentGateway, "charge", charge)
    replace(payment_gateway.PaymentGateway, "acharge", acharge)
    replace(billing_repository.BillingRepository, "add_payment", add_payment)


def threshold_blind_to_currency() -> None:
    """The approval threshold is compared with an amount of any currency as if both were alike."""
    from app.service_layer import approval_requests

    def held_for_approval(u: Any, amount: Decimal, currency: str) -> bool:
        threshold = u.settings.of()["approval_threshold"]
        return threshold is not None and amount > threshold

    replace(approval_requests, "held_for_approval", held_for_approval)
