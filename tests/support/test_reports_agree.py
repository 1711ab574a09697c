"""A company's reports against its rows (support/invariants/reports_agree.py), over reports made up here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from support.invariants.reports_agree import books_of, disagreements, monthly_disagreements, months_of

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


MONTHS = [
    {"month": "2026-11", "figure": "billed net", "currency": "EUR", "amount": Decimal("1000.00")},
    {"month": "2026-12", "figure": "billed net", "currency": "EUR", "amount": Decimal("500.00")},
    {"month": "2026-12", "figure": "earned", "currency": "EUR", "amount": Decimal("150.00")},
    {"month": "2026-12", "figure": "voided net", "currency": "USD", "amount": Decimal("80.00")},
    {"month": "2026-11", "figure": "received", "currency": "EUR", "amount": Decimal("300.00")},
]
PNL = {"currencies": [{"currency": "EUR", "revenue": "1500.00", "cost_of_sales": "150.00", "gross_profit": "1350.00"}]}
BY_MONTH = [{"month": "2026-11", "currency": "EUR", "received": "300.00"}]


def _monthly_reads(pnl: Any = PNL, by_month: Any = BY_MONTH):
    asked: list[str] = []

    def read(name: str) -> Any:
        asked.append(name)
        return pnl if name.startswith("profit-and-loss") else by_month

    return read, asked


def test_the_reports_by_month_that_agree_make_no_finding_and_span_every_month_billed():
    """The profit and loss is asked over every month an invoice was issued in (a voided one too: its month, and
    its currency, must show nothing of it) or a commission earned in."""
    read, asked = _monthly_reads()
    assert monthly_disagreements(months_of(MONTHS), read, "acme") == []
    assert asked == ["profit-and-loss?month=2026-11&months=2", "revenue-by-month"]


def test_each_monthly_figure_that_disagrees_is_named_with_what_the_rows_say():
    voided_counted = {
        "currencies": [
            *PNL["currencies"],
            {"currency": "USD", "revenue": "80.00", "cost_of_sales": "0.00", "gross_profit": "80.00"},
        ]
    }
    read, _ = _monthly_reads(voided_counted, [{"month": "2026-12", "currency": "EUR", "received": "300.00"}])
    assert monthly_disagreements(months_of(MONTHS), read, "acme") == [
        "the profit and loss's revenue for acme from 2026-11 over 2 months is 80.00 USD, where its records give 0.00"
        " USD (the net of its invoices issued, paid in part or paid)",
        "the profit and loss's gross profit for acme from 2026-11 over 2 months is 80.00 USD, where its records"
        " give 0.00 USD (that revenue less that cost)",
        "the money received for acme in 2026-11 is nothing EUR, where its records give 300.00 EUR (its payments"
        " received that month)",
        "the money received for acme in 2026-12 is 300.00 EUR, where its records give nothing EUR (its payments"
        " received that month)",
    ]
