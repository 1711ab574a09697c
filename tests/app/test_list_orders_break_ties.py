"""Every list the platform reads in the order of a time (made, received, due, next attempt) breaks ties by
the record's id: two records of the same microsecond come back in the same order every time, and a page
boundary between them neither repeats nor skips one."""

from __future__ import annotations

import re
from pathlib import Path

ADAPTERS = Path(__file__).resolve().parents[2] / "app" / "adapters"
BY_TIME = re.compile(r"\.order_by\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
TIMES = ("created_at", "received_at", "due_at", "next_attempt_at")


def orders_by_time() -> list[tuple[str, str]]:
    found = []
    for path in sorted(ADAPTERS.glob("*.py")):
        for match in BY_TIME.finditer(path.read_text()):
            if any(f".c.{time}" in match.group(1) for time in TIMES):
                found.append((path.name, match.group(1)))
    return found


def test_the_adapters_do_order_lists_by_time():
    assert len(orders_by_time()) >= 8  # the check below reads what it should (most listings order in paging.py)


def test_every_order_by_a_time_ends_with_the_records_id():
    untied = [(name, order) for name, order in orders_by_time() if not re.search(r"\.c\.id(\.desc\(\))?\s*$", order)]
    assert untied == [], f"orders by a time with no tie-break by id: {untied}"
