"""Every record a company's people were shown is in the company's listing of its kind, read whole at the end.

A listing is how people find what they made: the leads, the deals, the invoices, the delivery projects, the
campaigns and the people of a company. The listing features count what a listing holds in the states they set
up; here it holds for whatever a scenario left: at its last step, for each of its companies, each listing of a
kind whose records its people were shown (in any answer: the record itself, an item of a list) is read whole by
the company's owner, three at a time where it pages (every page boundary crossed, the records made in one
transaction, which share their moment, among them), and must list each of them. The pages are checked as every
answer is (oldest first, following on, answering what was asked). A listing of more records than a scenario's
pages are read for (``MOST_PAGES``) makes no claim, nor does a company restored from a backup (its records are
as they were then), one removed, or an owner who cannot sign in now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from support.clients.exchanges import HttpExchange
from support.clients.paths import Billing, Sales, Tenancy
from support.clients.platform_api import Answer
from support.invariants.answers import NEXT
from support.invariants.histories import kind_of, restored_in, shown_to_people

# a kind of record -> its listing, and whether it is read a page at a time
LISTINGS = {
    "lead": (Sales.LEADS, True),
    "deal": (Sales.DEALS, True),
    "invoice": (Billing.INVOICES, True),
    "project": (Sales.PROJECTS, True),
    "campaign": (Sales.CAMPAIGNS, False),
    "person": (Tenancy.USERS, False),
}
PAGE = 3  # small, so that the pages' boundaries fall between records made together
MOST_PAGES = 60

# how the owner of a company (its id) reads a listing: its path and query -> the answer; None: nobody can now
Reader = Callable[[str, dict[str, Any]], Answer]


@dataclass
class Shown:
    """The records of each listed kind a company's people were shown in one scenario, and where first."""

    records: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)  # (company, kind) -> id -> where
    restored: bool = False

    def note(self, http: list[HttpExchange]) -> None:
        self.restored = self.restored or restored_in(http)
        for company, where, record in shown_to_people(http):
            kind = kind_of(record).name
            if kind in LISTINGS and isinstance(record.get("id"), str):
                self.records.setdefault((company, kind), {}).setdefault(record["id"], where)

    def missing(self, company: str, slug: str, read: Callable[[], Reader | None]) -> list[str]:
        """What the company's listings, read whole by ``read`` (made only when some record was shown), leave out."""
        kinds = {kind: ids for (of, kind), ids in self.records.items() if of == company}
        if self.restored or not kinds:
            return []
        reader = read()
        if reader is None:
            return []
        problems = []
        for kind, ids in sorted(kinds.items()):
            path, paged = LISTINGS[kind]
            listed = read_whole(reader, path, paged)
            if listed is None:
                continue
            how = f"read whole by its owner{f', {PAGE} at a time' if paged else ''}"
            problems += [
                f"the {kind}s of {slug}, {how}, do not list the {kind} {record}, shown in {where}"
                for record, where in ids.items()
                if record not in listed
            ]
        return problems


def read_whole(reader: Reader, path: str, paged: bool) -> set[str] | None:
    """The ids a listing holds, every page of it followed; None when it could not be read whole."""
    query: dict[str, Any] = {"limit": PAGE} if paged else {}
    ids: set[str] = set()
    for _ in range(MOST_PAGES):
        answer = reader(path, query)
        if answer.status != 200 or not isinstance(answer.body, list):
            return None
        ids.update(str(item["id"]) for item in answer.body if isinstance(item, dict) and "id" in item)
        onward = NEXT.search(answer.headers.get("link", "")) if paged else None
        if onward is None:
            return ids
        query = dict(parse_qsl(urlsplit(onward.group(1)).query))
    return None


def shown_of(state: dict[str, object]) -> Shown:
    watch = state.setdefault("listed", Shown())
    assert isinstance(watch, Shown)
    return watch
