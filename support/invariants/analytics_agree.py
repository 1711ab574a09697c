"""Every company's analytics agree with its records, at the end of every scenario.

``features/analytics`` says what the funnel and the money received show for records made for it. Here it holds
for whatever a scenario left: at its last step, for each of its companies that has a lead, an invoice or a
payment, the company's owner reads the funnel and the money received over the days of its audit trail (the
analytics store is fed from it), and, against the company's rows in the database:

- the funnel counts its leads, its leads qualified (the trail's), its deals won, its invoices issued (voided
  since included) and its invoices with money received (each once, however many payments);
- each campaign's leads and won deals are those of the leads it brought;
- the money received, day by day and per currency, is the trail's payments less its refunds on that day, and
  added up over the days it is the payments less the refunds recorded.

The store is fed a moment after the records are written: the figures are read again until they agree, for a
few seconds, and what still disagrees is reported. A company the scenario removed, a database it stopped, an
analytics store that cannot answer, an owner who cannot sign in now, records the harness wrote itself (they have
no trail) or a trail longer than the figures' longest span make no claim.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.exc import SQLAlchemyError

from support.clients.exchanges import json_or_none
from support.clients.paths import Analytics
from support.clients.unrecorded import sent_by
from support.invariants.reports_agree import amount_shown, or_nothing
from support.report.evidence import attach_json
from support.scenario.eventually import eventually

STAGES = ("leads", "qualified", "won", "invoiced", "paid")
MEANING = {
    "leads": "its leads",
    "qualified": "the leads its trail says were qualified",
    "won": "its deals won",
    "invoiced": "its invoices issued",
    "paid": "its invoices with money received, each once",
}
LONGEST_SPAN_DAYS = 366  # the figures' longest span (the API's bound)
WAIT_S = 10.0  # the store is fed within a few seconds of a write, even on a busy machine
ZERO = Decimal("0.00")

# a figure's name (a path under Analytics) -> its body, or None when it could not be read (no claim)
Read = Callable[[str, dict[str, str]], Any]


@dataclass
class Records:
    """What the company's analytics must show, from its rows and its trail (the ``analytics_by_records`` query)."""

    stages: dict[str, int] = field(default_factory=dict)
    campaigns: dict[str, tuple[int, int]] = field(default_factory=dict)  # campaign -> leads, won
    received: dict[str, Decimal] = field(default_factory=dict)  # currency -> payments less refunds
    received_on: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (day, currency) -> the trail's
    first_day: date | None = None
    last_day: date | None = None

    @classmethod
    def of(cls, rows: Iterable[Mapping[str, Any]]) -> Records:
        records = cls()
        leads: dict[str, int] = {}
        won: dict[str, int] = {}
        for row in rows:
            figure, key, amount = str(row["figure"]), str(row["key"]), Decimal(row["amount"] or 0)
            if figure in STAGES:
                records.stages[figure] = int(amount)
            elif figure == "campaign leads":
                leads[key] = int(amount)
            elif figure == "campaign won":
                won[key] = int(amount)
            elif figure == "received":
                records.received[key] = amount
            elif figure == "received on":
                day, _, currency = key.partition(" ")
                records.received_on[(day, currency)] = amount
            elif figure == "first day":
                records.first_day = date.fromisoformat(key)
            elif figure == "last day":
                records.last_day = date.fromisoformat(key)
        records.campaigns = {c: (leads.get(c, 0), won.get(c, 0)) for c in sorted({*leads, *won})}
        return records

    def as_evidence(self) -> dict[str, Any]:
        return {
            "stages": self.stages,
            "campaigns": {c: {"leads": leads, "won": won} for c, (leads, won) in self.campaigns.items()},
            "received": {c: str(amount) for c, amount in self.received.items()},
            "received on": {f"{day} {c}": str(amount) for (day, c), amount in self.received_on.items()},
        }

    @property
    def anything_counted(self) -> bool:
        return any(self.stages.get(stage) for stage in ("leads", "invoiced", "paid"))

    def span(self) -> dict[str, str] | None:
        """The days of the trail as the figures are asked for them; None when they cannot be asked at once."""
        if self.first_day is None or self.last_day is None:
            return None
        days = (self.last_day - self.first_day).days + 1
        return {"from": self.first_day.isoformat(), "days": str(days)} if days <= LONGEST_SPAN_DAYS else None


def disagreements(records: Records, funnel: Any, revenue: Any, company: str) -> list[str]:
    """What the company's ``funnel`` and ``revenue`` (their bodies; None: not read, no claim) show against its
    ``records``, in a reviewer's words."""
    found: list[str] = []
    if isinstance(funnel, dict):
        counted = {s.get("stage"): s.get("count") for s in funnel.get("stages", []) if isinstance(s, dict)}
        found += [
            f"the analytics' funnel for {company} counts {counted.get(stage)} at its {stage} stage, where its records give "
            f"{records.stages.get(stage, 0)} ({MEANING[stage]})"
            for stage in STAGES
            if counted.get(stage) != records.stages.get(stage, 0)
        ]
        shown = {
            str(c.get("campaign_id")): (c.get("leads"), c.get("won"))
            for c in funnel.get("campaigns", [])
            if isinstance(c, dict)
        }
        found += [
            f"the analytics' funnel for {company} shows campaign {campaign} with {_as_pair(shown.get(campaign))},"
            f" where its records give {_as_pair(records.campaigns.get(campaign))} (the leads it brought, and of"
            " them the deals won)"
            for campaign in sorted({*shown, *records.campaigns})
            if shown.get(campaign) != records.campaigns.get(campaign)
        ]
    if isinstance(revenue, dict):
        found += _received(records, revenue, company)
    return found


def _received(records: Records, revenue: dict[str, Any], company: str) -> list[str]:
    shown: dict[tuple[str, str], Decimal | None] = {
        (str(d.get("day")), str(d.get("currency"))): amount_shown(d.get("received"))
        for d in revenue.get("days", [])
        if isinstance(d, dict)
    }
    found = [
        f"the analytics' money received for {company} on {day} in {currency} is {or_nothing(shown.get((day, currency)))},"
        f" where its trail gives {or_nothing(records.received_on.get((day, currency)))} (its payments less its"
        " refunds that day)"
        for day, currency in sorted({*shown, *records.received_on})
        if shown.get((day, currency)) != records.received_on.get((day, currency))
    ]
    for currency in sorted({c for _, c in shown} | set(records.received)):
        added = sum((amount or ZERO for (_, c), amount in shown.items() if c == currency), ZERO)
        if added != records.received.get(currency, ZERO):
            found.append(
                f"the analytics' money received for {company} in {currency} adds up to {added} over its days, where"
                f" its records give {records.received.get(currency, ZERO)} (its payments less its refunds)"
            )
    return found


def of_company(
    db: Any, owner_reads: Callable[[], Read | None], company: str, company_id: str, *, wait_s: float = WAIT_S
) -> list[str]:
    """What the analytics of one company (``company``: how to name it) show against its records, read as
    ``owner_reads`` gives (None: nobody can sign in now), again until they agree or ``wait_s`` has passed."""
    if not db.available:
        return []
    read: Read | None = None
    last: dict[str, Any] = {}  # what the last reads gave: the report's evidence when they never agree

    def agreeing() -> list[str]:
        nonlocal read
        try:
            records = Records.of(db.rows("analytics_by_records", evidence=False, tenant=company_id) or [])
        except SQLAlchemyError:  # the scenario stopped the database: no claim
            return []
        span = records.span()
        if not records.anything_counted or span is None:
            return []
        read = read or owner_reads()  # signed in only for a company with something counted
        if read is None:
            return []
        funnel, revenue = read("funnel", span), read("revenue", span)
        last.update(records=records.as_evidence(), span=span, funnel=funnel, revenue=revenue)
        found = disagreements(records, funnel, revenue, company)
        assert not found, found
        return found

    return until_agreeing(agreeing, wait_s, f"analytics of {company} against its records (read last)", last)


def until_agreeing(agreeing: Callable[[], list[str]], wait_s: float, evidence: str, last: dict[str, Any]) -> list[str]:
    """``agreeing`` (which fails while its figures disagree) again every 0.1 s until it passes or ``wait_s`` has
    passed; then what it found, said to be still so, and ``last`` (what it read last) attached as ``evidence``."""
    try:
        return eventually(agreeing, timeout=wait_s, interval=0.1)
    except AssertionError as still:
        problems = still.args[0] if still.args and isinstance(still.args[0], list) else [str(still)]
        attach_json(evidence, last)
        return [f"{problem} (still after {wait_s:g} s)" for problem in problems]


def reader(platform_url: str, token: str) -> Read:
    """Reads a figure over a span as the session's person: its body, or None (no claim) for any other answer
    than 200."""

    def read(name: str, span: dict[str, str]) -> Any:
        answer = sent_by(token, "owners", platform_url, "GET", f"{Analytics.figure(name)}?{urlencode(span)}")
        return json_or_none(answer.text) if answer is not None and answer.status_code == 200 else None

    return read


def _as_pair(pair: tuple[Any, Any] | None) -> str:
    return "nothing" if pair is None else f"{pair[0]} leads and {pair[1]} won"
