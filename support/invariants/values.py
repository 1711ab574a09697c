"""Money and moments look alike wherever they are shown, in answers and in frames.

Every amount of money is a string holding a decimal with exactly two places (never a JSON number, which a
client reads as a float; never more places, which says the platform computed with more than it charged), and
every moment is an ISO 8601 time in UTC (its offset said, and zero). The fields are known by name, as the
pinned contract calls them (a tool's result in a frame uses the same names); a field that may be empty may
be null, and a whole number under such a name is a count (the funnel's deals won), not an amount.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

MONEY = frozenset(
    {
        "amount",
        "amount_due",
        "amount_paid",
        "approval_threshold",
        "budget",
        "cost_of_sales",
        "current",
        "days_1_30",
        "days_31_60",
        "days_61_90",
        "days_90_plus",
        "estimated_value",
        "gross_profit",
        "invoiced",
        "net",
        "open",
        "open_pipeline",
        "outstanding",
        "received",
        "revenue",
        "tax",
        "total",
        "unit_price",
        "weighted",
        "won",
    }
)
TWO_PLACES = re.compile(r"^-?\d+\.\d{2}$")
SHOWN = 3  # problems named per answer or frame


def misshapen(text: str) -> list[str]:
    """Each amount or moment in the JSON ``text`` that is not shown as the rules say (none for text that is
    not JSON: other rules name that)."""
    try:
        body = json.loads(text)
    except ValueError:
        return []
    problems = []
    for key, value in _fields(body):
        if value is None or isinstance(value, (dict, list)):
            continue  # empty, or a section named like an amount (a tool's result)
        if key in MONEY:
            if not isinstance(value, (bool, int)) and not (isinstance(value, str) and TWO_PLACES.match(value)):
                problems.append(f"shows the amount {key} as {json.dumps(value)}, not a decimal with two places")
        elif _a_moment(key) and not _in_utc(value):
            problems.append(f"shows the moment {key} as {json.dumps(value)}, not an ISO 8601 time in UTC")
    return problems[:SHOWN]


def _fields(body: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(body, dict):
        for key, value in body.items():
            yield key, value
            yield from _fields(value)
    elif isinstance(body, list):
        for item in body:
            yield from _fields(item)


def _a_moment(key: str) -> bool:
    return key.endswith("_at") or key in ("at", "ts")


def _in_utc(value: Any) -> bool:
    if not isinstance(value, str):
        return False  # a float of seconds: not a moment a client can read
    try:
        offset = datetime.fromisoformat(value).utcoffset()
    except ValueError:
        return False
    return offset is not None and not offset
