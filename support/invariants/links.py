"""The links between a lead, the deal it became and the deal's delivery project agree wherever they are shown.

A lead becomes at most one deal and a won deal has one project: each side names the other (the lead its
``opportunity_id``, the deal its ``lead_id``; the deal its ``project_id``, the project its
``opportunity_id``). Checked as a scenario goes, over every record in every answer (a record's kind read
from its fields): no two records of a kind name the same record of the other, no record names one that was
shown naming another, and no record's link, once shown, changes. A link not shown (``null``: a list does
not work the lead's deal out) is no claim.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from support.clients.exchanges import HttpExchange, objects_shown

# kind -> the fields that tell a record of it from the others
KINDS = {
    "lead": frozenset({"contact_name", "opportunity_id"}),
    "deal": frozenset({"lead_id", "stage"}),
    "project": frozenset({"opportunity_id", "tasks"}),
}
# (kind, its field naming the other) -> the other kind; each pair both ways
LINKS = {
    ("lead", "opportunity_id"): "deal",
    ("deal", "lead_id"): "lead",
    ("deal", "project_id"): "project",
    ("project", "opportunity_id"): "deal",
}


@dataclass
class LinksWatch:
    """Every link shown so far in one scenario: (kind, record, other kind) -> the record it names."""

    names: dict[tuple[str, str, str], str] = field(default_factory=dict)
    named_by: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (other kind, target, kind) -> record
    reported: set[str] = field(default_factory=set)

    def disagreements(self, http: list[HttpExchange]) -> list[str]:
        """What the new answers show that contradicts a link shown before (each contradiction once)."""
        problems = []
        for exchange in http:
            place = f"the answer to {exchange.method} {exchange.path} (by {exchange.caller})"
            for kind, record in _records(exchange):
                for (of_kind, link), other in LINKS.items():
                    target = record.get(link)
                    if of_kind != kind or not isinstance(target, str) or not isinstance(record.get("id"), str):
                        continue
                    problems += self._check(kind, record["id"], other, target, place)
        return problems

    def _check(self, kind: str, record: str, other: str, target: str, place: str) -> list[str]:
        said = []
        before = self.names.setdefault((kind, record, other), target)
        if before != target:
            said.append(f"the {kind} {record} named the {other} {before} before and names {target} now")
        rival = self.named_by.setdefault((other, target, kind), record)
        if rival != record:
            said.append(f"the {kind} {record} names the {other} {target}, which the {kind} {rival} named already")
        back = self.names.get((other, target, kind))
        if back is not None and back != record:
            said.append(f"the {kind} {record} names the {other} {target}, which was shown naming the {kind} {back}")
        fresh = [problem for problem in said if problem not in self.reported]
        self.reported.update(fresh)
        return [f"{place}: {problem}" for problem in fresh]


def _records(exchange: HttpExchange) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every lead, deal and project an answer holds: the answer itself, the items of a list, of a list in it."""
    if exchange.status >= 300:
        return
    for item in objects_shown(exchange):
        for kind, fields in KINDS.items():
            if fields <= item.keys():
                yield kind, item


def links_of(state: dict[str, object]) -> LinksWatch:
    watch = state.setdefault("links", LinksWatch())
    assert isinstance(watch, LinksWatch)
    return watch
