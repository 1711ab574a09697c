"""Every company's campaign returns agree with its records, at the end of every scenario.

The customer journeys say what a campaign's return shows for the leads, deals and payments they make. Here it
holds for whatever a scenario left: at its last step, for each of its companies with a campaign, the owner reads
the campaign returns, and against the company's rows in the database each campaign is listed once, with:

- the leads it brought, and the deals won from them;
- as revenue, the money received for those deals' invoices in the campaign's currency, less what was refunded of
  it; the money received in any other currency, less its refunds, shown apart, each currency once (never added
  up with the campaign's);
- as its return, that revenue less its budget.

No campaign of another company is listed. A company the scenario removed, a database it stopped, an owner who
cannot sign in now, or an answer other than 200 makes no claim.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from support.clients.exchanges import json_or_none
from support.clients.paths import Finance
from support.clients.unrecorded import sent_by
from support.invariants.reports_agree import amount_shown

Read = Callable[[], Any]


@dataclass
class Campaign:
    """A campaign as the company's records give it."""

    name: str
    currency: str
    budget: Decimal
    leads: int
    won: int
    received: dict[str, Decimal] = field(default_factory=dict)  # currency -> received less refunded

    @property
    def revenue(self) -> Decimal:
        return self.received.get(self.currency, Decimal("0"))

    @property
    def elsewhere(self) -> dict[str, Decimal]:
        return {c: amount for c, amount in self.received.items() if c != self.currency and amount}


def campaigns_of(rows: Iterable[Mapping[str, Any]]) -> dict[str, Campaign]:
    """The company's campaigns by id, from its rows (one per campaign and currency of money received)."""
    found: dict[str, Campaign] = {}
    for row in rows:
        campaign = found.setdefault(
            str(row["campaign"]).lower(),
            Campaign(row["name"], row["own_currency"], Decimal(row["budget"]), int(row["leads"]), int(row["won"])),
        )
        if row["currency"] is not None:
            campaign.received[row["currency"]] = Decimal(row["amount"])
    return found


def disagreements(campaigns: Mapping[str, Campaign], shown: Any, company: str) -> list[str]:
    """What the campaign returns ``shown`` say against the company's ``campaigns``; none when they were not read."""
    if shown is None:
        return []
    if not isinstance(shown, list):
        return [f"the campaign returns are not a list ({company}): {shown!r}"]
    problems: list[str] = []
    listed: dict[str, Mapping[str, Any]] = {}
    for line in shown:
        key = str(line.get("campaign_id", "")).lower() if isinstance(line, dict) else ""
        if key in listed:
            problems.append(f"the campaign returns list {line.get('name')!r} twice ({company})")
        elif key not in campaigns:
            problems.append(f"the campaign returns list a campaign of another company ({company}): {line!r}")
        listed[key] = line if isinstance(line, dict) else {}
    for key, campaign in sorted(campaigns.items()):
        line = listed.get(key)
        if line is None:
            problems.append(f"the campaign returns leave out {campaign.name!r} ({company})")
            continue
        said = f"the campaign returns show {campaign.name!r} with"
        expected = {
            "leads": campaign.leads,
            "deals won": campaign.won,
            "revenue": campaign.revenue,
            "money received in other currencies": campaign.elsewhere,
            "return": campaign.revenue - campaign.budget,
        }
        shown_here = {
            "leads": line.get("leads"),
            "deals won": line.get("deals_won"),
            "revenue": amount_shown(line.get("revenue")),
            "money received in other currencies": _by_currency(line.get("revenue_in_other_currencies")),
            "return": amount_shown(line.get("return")),
        }
        problems += [
            f"{said} {_text(shown_here[what])} as its {what}, where the records give {_text(value)} ({company})"
            for what, value in expected.items()
            if shown_here[what] != value
        ]
    return problems


def _by_currency(lines: Any) -> dict[str, Decimal | None] | None:
    if not isinstance(lines, list):
        return None
    found: dict[str, Decimal | None] = {}
    for line in lines:
        currency = line.get("currency") if isinstance(line, dict) else None
        if currency in found or currency is None:
            return None  # a currency twice, or a line naming none: not money by currency
        found[currency] = amount_shown(line.get("amount"))
    return found


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{amount} {currency}" for currency, amount in sorted(value.items())) or "nothing"
    return "nothing readable" if value is None else str(value)


def of_company(db: Any, owner_reads: Callable[[], Read | None], company: str, company_id: str) -> list[str]:
    """What the campaign returns of one company (``company``: how to name it) show against its records, read as
    ``owner_reads`` gives (None: nobody can sign in now)."""
    if not db.available:
        return []
    try:
        campaigns = campaigns_of(db.rows("campaign_returns_by_records", evidence=False, tenant=company_id) or [])
    except SQLAlchemyError:  # the scenario stopped the database: no claim
        return []
    if not campaigns:
        return []
    read = owner_reads()
    return [] if read is None else disagreements(campaigns, read(), company)


def reader(platform_url: str, token: str) -> Read:
    """Reads the campaign returns as the session's person: their body, or None (no claim) for any other answer
    than 200."""

    def read() -> Any:
        answer = sent_by(token, "owners", platform_url, "GET", Finance.report("campaigns"))
        return json_or_none(answer.text) if answer is not None and answer.status_code == 200 else None

    return read
