"""Around one request by a company's person: the company's rows before it, and after it.

Three rules hold for every request a scenario sends alone (no write in flight from its start to its answer:
writes sent at once change the same company together):

- a read changes nothing (reading a record must not mark it read, expire it or count it);
- a refused write changes nothing (a table whose rows changed is named);
- an accepted write changes, among the records of a kind it names, only the ones it names: a write that
  names a deal (by its id, in its address, its body or its answer) leaves the company's other deals as they
  were. A change meant for one record that reached its neighbours (a condition dropped from an update, a
  key looked up for the wrong record) passed every scenario with a single record of that kind.

A record is named by its id written anywhere in the request or the answer, with or without its dashes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from support.clients.exchanges import Recorder, current
from support.clients.row_digests import Rows

# What a refusal may still have written, by its status: a declined card (402) is a request the processor
# answered, so its answer is kept under the request's Idempotency-Key (a retry is told the same).
MAY_WRITE_WHEN_REFUSED: dict[int, tuple[str, ...]] = {402: ("idempotency_keys",)}
ID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.IGNORECASE)
SHOWN_PER_TABLE = 3
READS = frozenset({"GET", "HEAD", "OPTIONS"})
# Written in the background by a question asked over the socket while it runs, whatever HTTP request is in flight:
# a read or a refusal meanwhile cannot be told from it
WRITTEN_BY_RUNS = ("assistant_messages", "assistant_threads")


def ids_in(*texts: str) -> set[str]:
    """Every id written in ``texts``, in one spelling (lower case, no dashes)."""
    return {found.replace("-", "").lower() for text in texts for found in ID.findall(text)}


def changed_tables(before: Rows, after: Rows, allowed: Iterable[str] = ()) -> list[str]:
    """The tables whose rows differ, but ``allowed``."""
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t) and t not in allowed)


def neighbours_changed(before: Rows, after: Rows, named: set[str]) -> list[str]:
    """For each table holding a record ``named`` names, its other records that were changed or removed."""
    found = []
    for table, rows in sorted(before.items()):
        keys = {key.replace("-", "").lower(): key for key in rows}
        if not keys.keys() & named:
            continue
        now = after.get(table, {})
        touched = [
            f"{key} ({'removed' if key not in now else 'changed'})"
            for spelled, key in sorted(keys.items())
            if spelled not in named and now.get(key) != rows[key]
        ]
        if touched:
            more = f" and {len(touched) - SHOWN_PER_TABLE} more" if len(touched) > SHOWN_PER_TABLE else ""
            found.append(f"{table} {', '.join(touched[:SHOWN_PER_TABLE])}{more}")
    return found


class RowWatch:
    """One request's view of its company's rows: taken before it is sent, compared once it is answered."""

    def __init__(self, company: str | None, method: str, path: str) -> None:
        self.recorder: Recorder | None = current()
        self.company, self.doing = company, f"{method} {path}"
        self.reads = method in READS
        self.before: Rows | None = None
        self.alone = False
        self.begun = 0
        if self.recorder is None or self.recorder.fingerprint is None or company is None:
            return
        with self.recorder.lock:
            if not self.reads:
                self.recorder.writes_in_flight += 1
                self.recorder.writes_begun += 1
            self.begun = self.recorder.writes_begun
            self.alone = self.recorder.writes_in_flight == (0 if self.reads else 1)
        if self.alone:
            self.before = self._rows()

    def _rows(self) -> Rows | None:
        """The company's rows; None when the database cannot be read now (a scenario stopped it)."""
        assert self.recorder is not None and self.recorder.fingerprint is not None and self.company is not None
        try:
            return self.recorder.fingerprint(self.company)
        except Exception:  # the check is skipped, never the scenario's own step
            return None

    def answered(self, status: int, *, sent: str = "", said: str = "") -> None:
        """The request's answer came (``sent``: the request's body, ``said``: the answer's, as text)."""
        if self.recorder is None or self.recorder.fingerprint is None or self.company is None:
            return
        with self.recorder.lock:
            if not self.reads:
                self.recorder.writes_in_flight = max(0, self.recorder.writes_in_flight - 1)
            # alone throughout: no write in flight when it began, and none begun since (it could have changed the rows)
            alone = self.alone and self.recorder.writes_begun == self.begun
        if self.before is None or not alone or not 200 <= status < 500 or 300 <= status < 400:
            return
        after = self._rows()
        if after is None:
            return
        if self.reads or status >= 400:
            allowed = WRITTEN_BY_RUNS + (() if self.reads else MAY_WRITE_WHEN_REFUSED.get(status, ()))
            changed = changed_tables(self.before, after, allowed)
            if changed:
                how = "read" if self.reads else f"refused ({status})"
                self.recorder.problems.append(f"{self.doing} was {how} yet changed the company's {', '.join(changed)}")
            return
        touched = neighbours_changed(self.before, after, ids_in(self.doing, sent, said))
        if touched:
            self.recorder.problems.append(
                f"{self.doing} was accepted ({status}) yet changed records it does not name beside the ones it"
                f" does: {'; '.join(touched)}"
            )
