"""An invoice's, a payment's and a refund's own money adds up (support/invariants/sums.py), over answers made up
here."""

from __future__ import annotations

import json

from support.clients.exchanges import HttpExchange
from support.invariants.sums import amounts_add_up

LINE = {"position": 1, "quantity": "0.5", "unit_price": "2.01", "net": "1.01", "tax_rate": "21", "tax": "0.21"}
OTHER = {"position": 2, "quantity": "3", "unit_price": "100.00", "net": "300.00", "tax_rate": "0", "tax": "0.00"}
INVOICE = {
    "id": "invoice-1",
    "status": "partially_paid",
    "lines": [LINE, OTHER],
    "net": "301.01",
    "tax": "0.21",
    "total": "301.22",
    "amount_paid": "1.22",
    "amount_due": "300.00",
}


def _shown(*records: dict, status: int = 200) -> HttpExchange:
    body = json.dumps(records[0] if len(records) == 1 else list(records))
    return HttpExchange(
        "GET", "/api/v1/invoices", "Fiona", "c", status, {"content-type": "application/json"}, body, "s"
    )


def test_an_invoice_whose_lines_totals_and_payments_add_up_makes_no_finding():
    draft = {**INVOICE, "status": "draft", "amount_paid": "0.00", "amount_due": "301.22"}
    void = {**draft, "status": "void", "amount_due": "0.00"}  # what a void invoice says is due: no claim
    assert amounts_add_up(_shown(INVOICE, draft, void)) == []


def test_a_line_rounded_otherwise_and_totals_that_do_not_add_up_are_named():
    banker = {**LINE, "net": "1.00"}  # 1.005 rounded half to even
    said = amounts_add_up(_shown({**INVOICE, "lines": [banker, OTHER], "total": "301.23"}))
    assert said == [
        "shows the invoice invoice-1 with its line 1 of 0.5 at 2.01 with a net of 1.00, where it makes 1.01 (half up)",
        "shows the invoice invoice-1 with a net of 301.01, where its lines' add up to 301.00",
        "shows the invoice invoice-1 with a total of 301.23, where its net 301.01 and tax 0.21 add up to 301.22",
        "shows the invoice invoice-1 with 300.00 due, where its total 301.23 less the 1.22 paid is 300.01",
    ]


def test_a_status_that_does_not_say_what_was_paid_is_named():
    paid_in_part = {**INVOICE, "status": "paid"}
    said = amounts_add_up(_shown(paid_in_part, {**INVOICE, "status": "issued"}))
    assert said == [
        "shows the invoice invoice-1 paid with 1.22 paid of its 301.22",
        "shows the invoice invoice-1 issued with 1.22 paid of its 301.22",
    ]


def test_a_payment_or_refund_that_leaves_its_invoice_paid_with_money_due_is_named():
    payment = {"id": "p-1", "processor_charge_id": "ch_1", "amount": "10.00"}
    kept = [
        {**payment, "invoice_status": "paid", "amount_due": "0.00"},
        {**payment, "invoice_status": "partially_paid", "amount_due": "5.00"},
    ]
    assert amounts_add_up(_shown(*kept)) == []
    refund = {"id": "r-1", "processor_refund_id": "re_1", "amount": "10.00", "invoice_status": "paid"}
    said = amounts_add_up(
        _shown({**payment, "invoice_status": "paid", "amount_due": "10.00"}, {**refund, "amount_due": "-1.00"})
    )
    assert said == [
        "shows the payment p-1 leaving its invoice paid with 10.00 due",
        "shows the refund r-1 leaving -1.00 due on its invoice: less than nothing",
    ]
    assert amounts_add_up(_shown({**payment, "invoice_status": "paid", "amount_due": "10.00"}, status=409)) == []


def test_a_line_taxed_otherwise_than_its_net_at_its_rate_is_named():
    taxed = {**LINE, "tax": "0.22"}  # 1.01 at 21 % is 0.2121
    said = amounts_add_up(_shown({**INVOICE, "lines": [taxed], "net": "1.01", "tax": "0.22", "total": "1.23"}))
    assert said[0] == (
        "shows the invoice invoice-1 with its line 1 with a net of 1.01 at 21 % taxed 0.22, where that makes 0.21 "
        "(half up)"
    )
