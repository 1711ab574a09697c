"""A company's activity, day by day, held to its audit trail counted (support/invariants/activity_agrees.py)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from support.invariants.activity_agrees import counted, disagreements, of_company

TRAIL = [
    {"day": "2026-12-07", "action": "lead_captured", "currency": "EUR", "count": 2, "amount": Decimal("300.00")},
    {"day": "2026-12-07", "action": "signed_in", "currency": None, "count": 1, "amount": Decimal("0")},
    {"day": "2026-12-08", "action": "payment_received", "currency": "USD", "count": 1, "amount": Decimal("5.5")},
]


def _line(event: str, currency: str | None, count: int, amount: str) -> dict:
    return {"event": event, "currency": currency, "count": count, "amount": amount}


SHOWN = {
    "2026-12-07": {
        "day": "2026-12-07",
        "events": [_line("lead_captured", "EUR", 2, "300.00"), _line("signed_in", None, 1, "0.00")],
    },
    "2026-12-08": {"day": "2026-12-08", "events": [_line("payment_received", "USD", 1, "5.50")]},
}


def test_a_day_shown_as_its_trail_counts_it_agrees():
    days = counted(TRAIL)
    assert sorted(days) == ["2026-12-07", "2026-12-08"]
    assert all(disagreements(day, days[day], SHOWN[day], "acme") == [] for day in days)
    assert disagreements("2026-12-07", days["2026-12-07"], None, "acme") == [], "not read: no claim"


def test_a_day_miscounted_or_mis_summed_or_missing_an_event_is_named():
    days = counted(TRAIL)
    wrong = {"events": [_line("lead_captured", "EUR", 3, "300.00"), _line("payment_received", "EUR", 1, "5.50")]}
    assert disagreements("2026-12-07", days["2026-12-07"], wrong, "acme") == [
        "the activity on 2026-12-07 shows 3 (moving 300.00) lead_captured events in EUR, where the audit trail holds"
        " 2 (moving 300.00) (acme)",
        "the activity on 2026-12-07 shows 1 (moving 5.50) payment_received events in EUR, where the audit trail"
        " holds none (acme)",
        "the activity on 2026-12-07 shows none signed_in events, where the audit trail holds 1 (moving 0.00) (acme)",
    ]
    twice = {"events": [_line("signed_in", None, 1, "0.00"), _line("signed_in", None, 1, "0.00")]}
    assert disagreements("2026-12-07", days["2026-12-07"], twice, "acme") == [
        "the activity on 2026-12-07 shows signed_in in no currency twice (acme)"
    ]


class _Db:
    available = True

    def __init__(self, reads: list[list[dict]]) -> None:
        self.reads = reads

    def rows(self, query: str, **_: object) -> list[dict]:
        return self.reads.pop(0) if len(self.reads) > 1 else self.reads[0]


def test_a_day_is_read_again_until_it_agrees_and_named_when_it_never_does():
    signed_in_later = [{**TRAIL[1], "count": 2}]
    asked: list[str] = []

    def read(day: str) -> dict:
        asked.append(day)
        return SHOWN[day]

    db = _Db([TRAIL[:1] + signed_in_later + TRAIL[2:], TRAIL])
    assert of_company(db, lambda: read, "acme", "c1", wait_s=1) == [], "the owner's sign-in counted on the next read"
    assert asked == ["2026-12-07", "2026-12-08"] * 2
    never = _Db([[{**TRAIL[0], "count": 5}]])
    assert of_company(never, lambda: read, "acme", "c1", wait_s=0.2) == [
        "the activity on 2026-12-07 shows 2 (moving 300.00) lead_captured events in EUR, where the audit trail holds"
        " 5 (moving 300.00) (acme) (still after 0.2 s)",
        "the activity on 2026-12-07 shows 1 (moving 0.00) signed_in events, where the audit trail holds none (acme)"
        " (still after 0.2 s)",
    ]
    assert of_company(SimpleNamespace(available=False), lambda: read, "acme", "c1") == [], "no database: no claim"
    assert of_company(db, lambda: None, "acme", "c1") == [], "nobody can sign in: no claim"
