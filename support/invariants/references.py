"""Every record an answer names by its id is a record of that kind, of the company the answer was given to.

A record names others by their ids: a lead its campaign and the deal it became, a deal its lead, client, owner and
project, an invoice its project and client, a payment its invoice, a commission its payment and seller, a task its
assignee, an approval who asked and who decided, a notification the project it is about. The scenarios read the
links they were written about; here every such id a company's people were shown, in any answer, must be the id
of a row of the named kind among the company's rows in the database, read at the scenario's last step: an id
passed where another was meant (a deal's for its project's, a person's for their company's) names the wrong
kind, or nothing. Fields of other names, an approval's subject (a held payment is named before it is taken), the
audit trail's entries (which name sessions too) and moments where nothing can be read (no database, a company
removed or restored from a backup) make no claim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from support.clients.exchanges import HttpExchange
from support.invariants.histories import kind_of, restored_in, shown_to_people
from support.invariants.isolation import RECORD_ID

# a field naming a record -> the table its records are in
NAMED_IN = {
    "lead_id": "leads",
    "opportunity_id": "opportunities",
    "project_id": "projects",
    "client_id": "clients",
    "invoice_id": "invoices",
    "payment_id": "payments",
    "campaign_id": "campaigns",
    "approval_id": "approvals",
    "user_id": "users",
    "owner_id": "users",
    "assignee_id": "users",
    "requested_by": "users",
    "decided_by": "users",
}
SUBJECTS = {"project": "projects", "deal": "opportunities"}  # a notification's subject, by its type
# what an audit entry is about, by its kind -> the table its records are in (a company's entry names the company)
ENTRIES_ABOUT = {
    "lead": "leads",
    "opportunity": "opportunities",
    "project": "projects",
    "task": "tasks",
    "invoice": "invoices",
    "payment": "payments",
    "refund": "refunds",
    "commission": "commissions",
    "approval": "approvals",
    "campaign": "campaigns",
    "ticket": "tickets",
    "user": "users",
}
NOT_READ = frozenset({"approval", "trail entry"})  # kinds whose references make no claim here


@dataclass
class Named:
    """The ids each company's people were shown naming a record: (company, table) -> id -> what showed it."""

    ids: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    restored: bool = False

    def note(self, http: list[HttpExchange]) -> None:
        self.restored = self.restored or restored_in(http)
        for company, where, record in shown_to_people(http):
            if kind_of(record).name in NOT_READ:
                continue
            for name, table, value in references(record):
                self.ids.setdefault((company, table), {}).setdefault(value, f"{where} shows {name}")

    def dangling(self, company: str, slug: str, rows: Mapping[str, Mapping[str, str]] | None) -> list[str]:
        """The ids shown to the company's people that are no row of their kind among ``rows`` (the company's rows
        by table, keyed by id; None or none at all: nothing can be read, no claim)."""
        if self.restored or not rows:
            return []
        problems = []
        for (of, table), ids in sorted(self.ids.items()):
            if of != company:
                continue
            kept = {key.lower() for key in rows.get(table, {})}
            problems += [
                f"{where} {value}, which is none of the {table} of {slug}"
                for value, where in ids.items()
                if value not in kept
            ]
        return problems


def entries_astray(
    entries: list[Mapping[str, Any]], company: str, slug: str, rows: Mapping[str, Mapping[str, str]] | None
) -> list[str]:
    """The company's audit entries that are about no record of the kind they name among ``rows`` (as for
    ``Named.dangling``; None or none at all: no claim): an entry filed under another kind's id, another company's
    record, or nothing. A kind the table above does not know makes no claim."""
    if not rows:
        return []
    kept = {kind: {key.lower() for key in rows.get(table, {})} for kind, table in ENTRIES_ABOUT.items()}
    kept["tenant"] = {company.lower()}
    return [
        f"an audit entry is about no {kind} of the company: {entry.get('action')} about {kind} {about},"
        f" in the trail of {slug}"
        for entry in entries
        for kind, about in [(str(entry.get("entity_type")), str(entry.get("entity_id")).lower())]
        if kind in kept and about not in kept[kind]
    ]


def references(record: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """Each field of ``record`` naming a record by its id: the field's name, the table named, the id."""
    found = [(name, table, value) for name, table in NAMED_IN.items() if (value := _an_id(record.get(name)))]
    kind, subject = SUBJECTS.get(str(record.get("subject_type"))), _an_id(record.get("subject_id"))
    if kind and subject:
        found.append(("subject_id", kind, subject))
    return found


def _an_id(value: Any) -> str | None:
    """``value`` as a record's id (lower case), when it is one."""
    return value.lower() if isinstance(value, str) and RECORD_ID.fullmatch(value.lower()) else None


def named_of(state: dict[str, object]) -> Named:
    watch = state.setdefault("references", Named())
    assert isinstance(watch, Named)
    return watch
