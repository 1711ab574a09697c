"""The books' check names what does not balance, from the database's rows and the processor's records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import requests

from support.invariants.books import unbalanced

COMPANY = "c0"


class Rows:
    """Stands for the database inspector: each named query's rows."""

    available = True

    def __init__(self, **rows: list[dict[str, Any]]) -> None:
        self._rows = rows

    def rows(self, query: str, *, evidence: bool = True, **_: Any) -> list[dict[str, Any]]:
        assert evidence is False, "a check of every scenario attaches nothing"
        return self._rows.get(query, [])


class Processor:
    available = True

    def __init__(self, charges: dict[str, list[dict[str, Any]]], refunds: list[dict[str, Any]], *, down=False):
        self._charges, self._refunds, self._down = charges, refunds, down

    def charges_for_invoice(self, invoice: str, *, evidence: bool = True) -> list[dict[str, Any]]:
        if self._down:
            raise requests.ConnectionError("the processor is stopped")
        return self._charges.get(invoice, [])

    def every_refund(self) -> list[dict[str, Any]]:
        return self._refunds


def _books(**changes: Any) -> tuple[Rows, Processor]:
    rows = {
        "tenant_invoice_ids": [{"id": "i1"}, {"id": "i2"}],
        "payments_of_tenant": [{"invoice_id": "i1", "processor_charge_id": "ch1", "amount": Decimal("60.00")}],
        "refunds_of_tenant": [{"processor_refund_id": "re1", "amount": Decimal("10.00"), "processor_charge_id": "ch1"}],
    }
    charges = {"i1": [{"id": "ch1", "amount": "60.00"}]}
    refunds = [{"charge": "ch1", "amount": "10.00"}, {"charge": "ch-of-another-company", "amount": "5.00"}]
    rows.update(changes.pop("rows", {}))
    charges.update(changes.pop("charges", {}))
    return Rows(**rows), Processor(charges, changes.pop("refunds", refunds), **changes)


def test_books_that_balance_say_nothing():
    assert unbalanced(*_books(), COMPANY) == []


def test_what_the_database_finds_unbalanced_is_named():
    db, processor = _books(rows={"invoice_statuses_not_matching_amounts": [{"id": "i1", "status": "paid"}]})
    assert unbalanced(db, processor, COMPANY) == [
        "invoices whose status does not say what they have been paid: id i1, status paid"
    ]


def test_a_charge_no_payment_records_is_found_on_an_invoice_with_no_payment():
    db, processor = _books(charges={"i2": [{"id": "ch2", "amount": "40.00"}]})
    assert unbalanced(db, processor, COMPANY) == [
        "charges the processor made for the company's invoices that no payment records: ['ch2']"
    ]


def test_a_payment_for_another_amount_and_a_refund_never_made_are_named():
    db, processor = _books(charges={"i1": [{"id": "ch1", "amount": "70.00"}]}, refunds=[])
    problems = unbalanced(db, processor, COMPANY)
    assert (
        problems[0]
        == "payments recorded for another amount than charged (recorded, charged): {'ch1': ('60.00', '70.00')}"
    )
    assert problems[1].startswith("refunds recorded against those the processor made on the company's charges")


def test_a_stopped_processor_leaves_only_what_the_database_says():
    db, processor = _books(down=True)
    assert unbalanced(db, processor, COMPANY) == []
