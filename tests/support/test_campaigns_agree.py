"""A company's campaign returns held to its records (support/invariants/campaigns_agree.py)."""

from __future__ import annotations

from decimal import Decimal

from support.invariants.campaigns_agree import campaigns_of, disagreements

SPRING, AUTUMN = (f"{n}2222222-3333-4444-8555-666666666666" for n in "ab")
ROWS = [
    {
        "campaign": SPRING,
        "name": "Spring",
        "own_currency": "EUR",
        "budget": Decimal("1000.00"),
        "leads": 2,
        "won": 1,
        "currency": "EUR",
        "amount": Decimal("3500.00"),
    },
    {
        "campaign": SPRING,
        "name": "Spring",
        "own_currency": "EUR",
        "budget": Decimal("1000.00"),
        "leads": 2,
        "won": 1,
        "currency": "USD",
        "amount": Decimal("200.00"),
    },
    {
        "campaign": AUTUMN,
        "name": "Autumn",
        "own_currency": "EUR",
        "budget": Decimal("800.00"),
        "leads": 1,
        "won": 0,
        "currency": None,
        "amount": None,
    },
]


def _line(campaign: str, name: str, leads: int, won: int, revenue: str, elsewhere: list, result: str) -> dict:
    return {
        "campaign_id": campaign,
        "name": name,
        "currency": "EUR",
        "leads": leads,
        "deals_won": won,
        "revenue": revenue,
        "revenue_in_other_currencies": elsewhere,
        "return": result,
    }


SHOWN = [
    _line(SPRING, "Spring", 2, 1, "3500.00", [{"currency": "USD", "amount": "200.00"}], "2500.00"),
    _line(AUTUMN, "Autumn", 1, 0, "0.00", [], "-800.00"),
]


def test_returns_as_the_records_give_them_agree():
    campaigns = campaigns_of(ROWS)
    assert campaigns[SPRING].revenue == Decimal("3500.00") and campaigns[SPRING].elsewhere == {"USD": Decimal("200")}
    assert campaigns[AUTUMN].revenue == 0 and campaigns[AUTUMN].elsewhere == {}
    assert disagreements(campaigns, SHOWN, "acme") == []
    assert disagreements(campaigns, None, "acme") == [], "not read: no claim"


def test_returns_miscounted_added_across_currencies_or_the_wrong_way_round_are_named():
    campaigns = campaigns_of(ROWS)
    added_up = [_line(SPRING, "Spring", 3, 1, "3700.00", [], "2700.00"), SHOWN[1]]
    assert disagreements(campaigns, added_up, "acme") == [
        "the campaign returns show 'Spring' with 3 as its leads, where the records give 2 (acme)",
        "the campaign returns show 'Spring' with 3700.00 as its revenue, where the records give 3500.00 (acme)",
        "the campaign returns show 'Spring' with nothing as its money received in other currencies, where the"
        " records give 200.00 USD (acme)",
        "the campaign returns show 'Spring' with 2700.00 as its return, where the records give 2500.00 (acme)",
    ]
    backwards = [SHOWN[0], _line(AUTUMN, "Autumn", 1, 0, "0.00", [], "800.00")]
    assert disagreements(campaigns, backwards, "acme") == [
        "the campaign returns show 'Autumn' with 800.00 as its return, where the records give -800.00 (acme)"
    ]


def test_a_campaign_left_out_listed_twice_or_of_another_company_is_named():
    campaigns = campaigns_of(ROWS)
    stranger = _line("c2222222-3333-4444-8555-666666666666", "Theirs", 0, 0, "0.00", [], "0.00")
    assert disagreements(campaigns, [SHOWN[0], SHOWN[0], stranger], "acme") == [
        "the campaign returns list 'Spring' twice (acme)",
        f"the campaign returns list a campaign of another company (acme): {stranger!r}",
        "the campaign returns leave out 'Autumn' (acme)",
    ]
