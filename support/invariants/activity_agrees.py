"""Every company's activity, day by day, is its audit trail counted, at the end of every scenario.

The activity report (``features/finance/activity.feature``) gives the business events of one day (UTC): for each
kind of event and currency, how many happened and the money they moved. Here it holds for whatever a scenario
left: at its last step, for each of its companies, the owner reads the activity of every day the company's trail
has entries on, and each day must be the trail's entries of that day counted, in the database: each kind and
currency once, as many as the trail holds, their amounts added up (0.00 for events that move no money).

Read again every 0.1 s for up to 2 s until they agree: the owner signing in to read is an event of the day too. A
company the scenario removed, a database it stopped, an owner who cannot sign in now, or an answer other than 200
makes no claim; nor does any day once the harness moved a record's date itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.exc import SQLAlchemyError

from support.clients.exchanges import json_or_none
from support.clients.paths import Finance
from support.clients.unrecorded import sent_by
from support.invariants.analytics_agree import until_agreeing

WAIT_S = 2.0
# (event, currency or None) -> (how many, the money moved, two places)
Day = dict[tuple[str, str | None], tuple[int, str]]
Read = Callable[[str], Any]


def counted(rows: Iterable[Mapping[str, Any]]) -> dict[str, Day]:
    """The trail's entries counted by day (``rows``: one per day, event and currency, as the database counts
    them)."""
    days: dict[str, Day] = {}
    for row in rows:
        days.setdefault(str(row["day"]), {})[(row["action"], row["currency"])] = (
            int(row["count"]),
            f"{Decimal(row['amount']):.2f}",
        )
    return days


def disagreements(day: str, trail: Day, shown: Any, company: str) -> list[str]:
    """What the activity ``shown`` for ``day`` says against the ``trail``'s entries of that day; none when it was
    not read."""
    if shown is None:
        return []
    if not isinstance(shown, dict) or not isinstance(shown.get("events"), list):
        return [f"the activity on {day} is not a day's events ({company}): {shown!r}"]
    lines: Day = {}
    for line in shown["events"]:
        key = (line.get("event"), line.get("currency"))
        if key in lines:
            return [f"the activity on {day} shows {key[0]} in {key[1] or 'no currency'} twice ({company})"]
        lines[key] = (line.get("count"), str(line.get("amount")))
    return [
        f"the activity on {day} shows {_said(lines.get(key))} {key[0]} events{f' in {key[1]}' if key[1] else ''},"
        f" where the audit trail holds {_said(trail.get(key))} ({company})"
        for key in sorted(set(lines) | set(trail), key=lambda k: (str(k[0]), str(k[1])))
        if lines.get(key) != trail.get(key)
    ]


def _said(figures: tuple[int, str] | None) -> str:
    return "none" if figures is None else f"{figures[0]} (moving {figures[1]})"


def of_company(
    db: Any, owner_reads: Callable[[], Read | None], company: str, company_id: str, *, wait_s: float = WAIT_S
) -> list[str]:
    """What the activity of one company (``company``: how to name it) shows against its trail, read as
    ``owner_reads`` gives (None: nobody can sign in now), again until they agree or ``wait_s`` has passed."""
    if not db.available:
        return []
    read: Read | None = None
    last: dict[str, Any] = {}  # what the last reads gave: the report's evidence when they never agree

    def agreeing() -> list[str]:
        nonlocal read
        read = read or owner_reads()  # signed in first: the sign-in is one of the day's events
        if read is None:
            return []
        try:
            days = counted(db.rows("activity_of_tenant", evidence=False, tenant=company_id) or [])
        except SQLAlchemyError:  # the scenario stopped the database: no claim
            return []
        shown = {day: read(day) for day in sorted(days)}  # an event recorded meanwhile: read again, and agreeing
        last.update(trail={day: {f"{e} {c}": n for (e, c), n in lines.items()} for day, lines in days.items()})
        last.update(shown=shown)
        found = [problem for day in sorted(shown) for problem in disagreements(day, days[day], shown[day], company)]
        assert not found, found
        return found

    return until_agreeing(agreeing, wait_s, f"activity of {company} against its audit trail (read last)", last)


def reader(platform_url: str, token: str) -> Read:
    """Reads the activity of a day as the session's person: its body, or None (no claim) for any other answer
    than 200."""

    def read(day: str) -> Any:
        answer = sent_by(
            token, "owners", platform_url, "GET", f"{Finance.report('activity')}?{urlencode({'day': day})}"
        )
        return json_or_none(answer.text) if answer is not None and answer.status_code == 200 else None

    return read
