"""A company's reports against its rows (support/invariants/reports_agree.py), over reports made up here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from support.invariants.reports_agree import books_of, disagreements

ROWS = [
    {"figure": "open", "currency": "EUR", "amount": Decimal("5000.00")},
    {"figure": "won", "currency": "EUR", "amount": Decimal("1900.00")},
    {"figure": "invoiced", "currency": "EUR", "amount": Decimal("1810.00")},
    {"figure": "outstanding", "currency": "EUR", "amount": Decimal("1100.00")},
    {"figure": "paid", "currency": "EUR", "amount": Decimal("710.00")},
    {"figure": "taken", "currency": "EUR", "amount": Decimal("910.00")},
]
SUMMARY = {
    "currency": "EUR",
    "open_pipeline": "5000.00",
    "won": "1900.00",
    "invoiced": "1810.00",
    "received": "910.00",
    "outstanding": "1100.00",
}
FORECAST = {"currency": "EUR", "open": "5000.00", "weighted": "500.00"}
AGEING = {"currency": "EUR", "current": "100.00", "days_1_30": "1000.00", "days_31_60": "0.00"}


def _reads(summary: Any = SUMMARY, forecast: Any = FORECAST, ageing: Any = AGEING):
    def read(name: str) -> Any:
        line = {"sales-summary": summary, "forecast": forecast}.get(name, ageing)
        return None if line is None else {"currencies": [line] if line else []}

    return read


def test_reports_that_agree_with_the_rows_make_no_finding_and_received_may_be_net_or_gross():
    assert disagreements(books_of(ROWS), _reads(), "acme") == []
    assert disagreements(books_of(ROWS), _reads({**SUMMARY, "received": "710.00"}), "acme") == []


def test_each_figure_that_disagrees_is_named_with_what_the_rows_say():
    summary = {**SUMMARY, "invoiced": "2000.00", "received": "1000.00"}
    said = disagreements(books_of(ROWS), _reads(summary, {**FORECAST, "weighted": "5000.01"}), "acme")
    assert said == [
        "the sales summary's invoiced for acme is 2000.00 EUR, where its records give 1810.00 EUR (the totals of its "
        "invoices issued, paid in part or paid)",
        "the sales summary's received for acme is 1000.00 EUR, where it must lie between what those invoices hold "
        "as paid (710.00 EUR) and every payment taken (910.00 EUR)",
        "the forecast's weighted amount for acme is 5000.01 EUR, where it must lie between nothing and what its "
        "deals at an open stage are worth (5000.00 EUR)",
    ]


def test_a_currency_a_report_leaves_out_or_shows_alone_is_named():
    dollars = [*ROWS, {"figure": "outstanding", "currency": "USD", "amount": Decimal("400.00")}]
    said = disagreements(books_of(dollars), _reads(), "acme")
    assert said == [
        "the sales summary's outstanding for acme is 0.00 USD, where its records give 400.00 USD (what those "
        "invoices still owe)",
        "the receivables' ageing, its buckets added up, for acme is 0.00 USD, where its records give 400.00 USD "
        "(what those invoices still owe)",
    ]
    other = disagreements(books_of(ROWS), _reads(ageing={**AGEING, "currency": "GBP"}), "acme")
    assert len(other) == 2 and "ageing" in other[0] and "is 0.00 EUR" in other[0] and "is 1100.00 GBP" in other[1]


def test_a_report_that_could_not_be_read_makes_no_claim():
    assert disagreements(books_of(ROWS), _reads(None, None, None), "acme") == []
