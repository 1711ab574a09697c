"""A company's analytics against its records (support/invariants/analytics_agree.py), over figures made up here."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from support.invariants.analytics_agree import Records, disagreements, of_company

ROWS = [
    {"figure": "leads", "key": "", "amount": Decimal(3)},
    {"figure": "qualified", "key": "", "amount": Decimal(2)},
    {"figure": "won", "key": "", "amount": Decimal(1)},
    {"figure": "invoiced", "key": "", "amount": Decimal(1)},
    {"figure": "paid", "key": "", "amount": Decimal(1)},
    {"figure": "campaign leads", "key": "c1", "amount": Decimal(2)},
    {"figure": "campaign won", "key": "c1", "amount": Decimal(1)},
    {"figure": "received", "key": "EUR", "amount": Decimal("900.00")},
    {"figure": "received on", "key": "2026-12-06 EUR", "amount": Decimal("1000.00")},
    {"figure": "received on", "key": "2026-12-07 EUR", "amount": Decimal("-100.00")},
    {"figure": "first day", "key": "2026-12-06", "amount": Decimal(9)},
    {"figure": "last day", "key": "2026-12-07", "amount": Decimal(9)},
]
FUNNEL = {
    "stages": [
        {"stage": "leads", "count": 3},
        {"stage": "qualified", "count": 2},
        {"stage": "won", "count": 1},
        {"stage": "invoiced", "count": 1},
        {"stage": "paid", "count": 1},
    ],
    "campaigns": [{"campaign_id": "c1", "leads": 2, "won": 1}],
}
REVENUE = {
    "days": [
        {"day": "2026-12-06", "currency": "EUR", "received": "1000.00"},
        {"day": "2026-12-07", "currency": "EUR", "received": "-100.00"},
    ]
}


def test_figures_that_agree_with_the_records_make_no_finding_and_are_asked_over_the_trails_days():
    records = Records.of(ROWS)
    assert disagreements(records, FUNNEL, REVENUE, "acme") == []
    assert records.span() == {"from": "2026-12-06", "days": "2"}


def test_each_stage_campaign_and_day_that_disagrees_is_named_with_what_the_records_say():
    funnel = {
        "stages": [{**s, "count": 2} if s["stage"] == "won" else s for s in FUNNEL["stages"]],
        "campaigns": [{"campaign_id": "c1", "leads": 2, "won": 2}, {"campaign_id": "c9", "leads": 1, "won": 0}],
    }
    revenue = {"days": [{"day": "2026-12-06", "currency": "EUR", "received": "1000.00"}]}
    assert disagreements(Records.of(ROWS), funnel, revenue, "acme") == [
        "the analytics' funnel for acme counts 2 at its won stage, where its records give 1 (its deals won)",
        "the analytics' funnel for acme shows campaign c1 with 2 leads and 2 won, where its records give 2 leads and"
        " 1 won (the leads it brought, and of them the deals won)",
        "the analytics' funnel for acme shows campaign c9 with 1 leads and 0 won, where its records give nothing"
        " (the leads it brought, and of them the deals won)",
        "the analytics' money received for acme on 2026-12-07 in EUR is nothing, where its trail gives -100.00 (its"
        " payments less its refunds that day)",
        "the analytics' money received for acme in EUR adds up to 1000.00 over its days, where its records give"
        " 900.00 (its payments less its refunds)",
    ]


def test_figures_not_read_make_no_claim():
    assert disagreements(Records.of(ROWS), None, None, "acme") == []


def test_a_trail_longer_than_the_longest_span_or_a_company_with_nothing_counted_is_not_asked():
    long = [row for row in ROWS if row["figure"] != "first day"] + [
        {"figure": "first day", "key": "2025-01-01", "amount": Decimal(9)}
    ]
    assert Records.of(long).span() is None
    nothing = [{"figure": "qualified", "key": "", "amount": Decimal(0)}, *ROWS[-2:]]
    assert not Records.of(nothing).anything_counted


class _Db:
    available = True

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows_given = rows

    def rows(self, name: str, **params: Any) -> list[dict[str, Any]]:
        assert name == "analytics_by_records"
        return self.rows_given


def test_figures_are_read_again_until_the_store_has_caught_up():
    """The store is fed a moment after a write: a first read behind the records is no finding."""
    answers = [{**FUNNEL, "stages": []}, FUNNEL]
    signed_in: list[str] = []

    def owner_reads():
        signed_in.append("Olivia")
        return lambda name, span: answers.pop(0) if name == "funnel" else REVENUE

    assert of_company(_Db(ROWS), owner_reads, "acme", "id-1", wait_s=2) == []
    assert signed_in == ["Olivia"], "the owner is signed in once, for the first read"


def test_figures_that_never_agree_are_reported_once_the_wait_is_over():
    wrong = {**FUNNEL, "stages": [{**s, "count": 0} if s["stage"] == "paid" else s for s in FUNNEL["stages"]]}
    found = of_company(
        _Db(ROWS), lambda: lambda name, span: wrong if name == "funnel" else REVENUE, "acme", "i", wait_s=0.3
    )
    assert found == [
        "the analytics' funnel for acme counts 0 at its paid stage, where its records give 1 (its invoices with money"
        " received, each once) (still after 0.3 s)"
    ]


def test_a_company_nobody_can_read_for_makes_no_claim():
    assert of_company(_Db(ROWS), lambda: None, "acme", "i", wait_s=0.3) == []


def test_what_was_read_last_is_the_reports_evidence_when_it_never_agrees(monkeypatch):
    from support.invariants import analytics_agree

    attached: list[tuple[str, Any]] = []
    monkeypatch.setattr(analytics_agree, "attach_json", lambda name, content: attached.append((name, content)))
    wrong = {**FUNNEL, "campaigns": []}
    of_company(_Db(ROWS), lambda: lambda name, span: wrong if name == "funnel" else REVENUE, "acme", "i", wait_s=0.1)
    ((name, content),) = attached
    assert name == "analytics of acme against its records (read last)"
    assert content["funnel"] == wrong and content["revenue"] == REVENUE
    assert content["records"]["received on"] == {"2026-12-06 EUR": "1000.00", "2026-12-07 EUR": "-100.00"}
    json.dumps(content)  # attached as JSON
