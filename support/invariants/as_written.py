"""The answer to a change shows the record as the change left it: the next read of that record agrees.

A change's answer (a write answered 2xx with a record: an object with an ``id``) tells the caller what the
record is now. Until the next change of anything, by anyone (a sign-in changes no record), every read, by whoever
reads it, that shows a record of that id (the record itself, an item of a list, of a list in the answer) must show
each field the change's answer showed as it showed it (fields that are not text, number, boolean or null are not
compared; a field the read leaves out, or shows as null, is no claim: a list does not work out everything a
change's answer tells, nor is everyone shown every field).
A change whose answer said one thing and did another passed every scenario that checked only what was read
after it (an archived conversation answered as not archived).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from support.clients.exchanges import HttpExchange, objects_shown
from support.invariants.answers import SIGN_IN

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SCALARS = (str, int, float, bool, type(None))


@dataclass
class AsWritten:
    """What the last change's answers showed, by record id, until the next change."""

    shown: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)  # id -> fields, where
    reported: set[str] = field(default_factory=set)

    def disagreements(self, http: list[HttpExchange], by_the_harness: Collection[str] = ()) -> list[str]:
        """What the reads show otherwise than the last change's answer; a record the harness rewrote in the database
        itself (``by_the_harness``: its id) makes no claim."""
        problems = []
        for exchange in http:
            if exchange.method in WRITES and exchange.path == SIGN_IN:
                continue  # a sign-in opens a session: it changes no record an answer shows
            if exchange.method in WRITES:
                self.shown.clear()  # anything may have changed since: only this change's answer is a claim now
                if exchange.status < 300:
                    place = f"the answer to {exchange.method} {exchange.path} (by {exchange.caller})"
                    for record in _records(exchange):
                        self.shown[record["id"]] = (_scalars(record), place)
                continue
            if exchange.status >= 300:
                continue
            for record in _records(exchange):
                if record["id"] not in by_the_harness:
                    problems += self._compare(record, exchange)
        return problems

    def _compare(self, record: dict[str, Any], exchange: HttpExchange) -> list[str]:
        written = self.shown.get(record["id"])
        if written is None:
            return []
        fields, place = written
        read = f"{exchange.method} {exchange.path}"
        differ = sorted(
            name for name, value in fields.items() if record.get(name) is not None and record[name] != value
        )
        said = [
            f"{place} showed the record {record['id']} with {name} {fields[name]!r}; "
            f"the next read, {read}, shows {record[name]!r}"
            for name in differ
        ]
        fresh = [problem for problem in said if problem not in self.reported]
        self.reported.update(fresh)
        return fresh


def _scalars(record: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in record.items() if isinstance(value, SCALARS) and name != "id"}


def _records(exchange: HttpExchange) -> Iterator[dict[str, Any]]:
    """Every record an answer holds (an object with an id): the answer itself, the items of a list, of a list in it."""
    yield from (item for item in objects_shown(exchange) if isinstance(item.get("id"), str))


def as_written_of(state: dict[str, object]) -> AsWritten:
    watch = state.setdefault("as_written", AsWritten())
    assert isinstance(watch, AsWritten)
    return watch
