"""A record's history only moves forward: its state along its life cycle, and nothing it was given changes.

A record, once shown, is changed only by its life cycle (docs/platform.md): a lead is qualified, then
disqualified or converted; a deal moves between its open stages until it is won or lost; an invoice is issued,
paid and refunded, or voided; an approval is decided once; a ticket is answered, then closed; a conversation is
archived and a notification read, for good. Every other field it shows (its amount, currency, client, dates,
who made it, its issue and due dates once set, how it was lost or voided once it was) keeps the value it was
first shown with. An audit trail's entry, once shown, is the same entry ever after. Checked as a scenario goes,
over every record in every answer (a record's kind read from its fields, as ``links`` does), in the order the
answers came: a state shown after one it can never follow, or a kept field shown with another value, is
reported with both answers. A field shown as null, or left out, is no claim (a list does not work out
everything a record's own read does). A company restored from its backup takes its records back to what they
were then: the history is started again after a restore.

A status rewritten by a path its life-cycle feature does not take (a refund that sends an invoice back to
draft, a payment that moves the due date) passes every scenario that reads only the status it expects.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from support.clients.exchanges import HttpExchange, objects_shown
from support.clients.paths import API_PREFIX, Tenancy

RESTORE = API_PREFIX + Tenancy.RESTORE
SCALARS = (str, int, float, bool)


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of record: the fields that tell it from the others, the field that holds its state and where each
    state may go next (a state not named there is final), and the fields its life changes freely."""

    name: str
    told_by: frozenset[str]
    state: str | None = None
    moves: Mapping[Any, frozenset[Any]] = field(default_factory=lambda: MappingProxyType({}))
    moving: frozenset[str] = frozenset()

    def reaches(self, before: Any, after: Any) -> bool:
        """Whether a record in state ``before`` can be in state ``after`` later, whatever happened between."""
        seen, frontier = {before}, [before]
        while frontier:
            for following in self.moves.get(frontier.pop(), frozenset()):
                if following not in seen:
                    seen.add(following)
                    frontier.append(following)
        return after in seen


OPEN_STAGES = frozenset({"prospecting", "proposal", "negotiation"})
KINDS = (
    Kind("payment", frozenset({"processor_charge_id"}), moving=frozenset({"amount_due", "invoice_status"})),
    Kind("refund", frozenset({"processor_refund_id"}), moving=frozenset({"amount_due", "invoice_status"})),
    Kind(
        "invoice",
        frozenset({"lines", "amount_due", "status"}),
        "status",
        MappingProxyType(
            {
                "draft": frozenset({"issued", "void"}),
                "issued": frozenset({"partially_paid", "paid", "void"}),
                "partially_paid": frozenset({"paid", "issued"}),  # back to issued: refunded in full
                "paid": frozenset({"partially_paid", "issued"}),  # refunded in part, or in full
            }
        ),
        frozenset({"amount_paid", "amount_due"}),
    ),
    Kind(
        "lead",
        frozenset({"contact_name", "status"}),
        "status",
        MappingProxyType(
            {"new": frozenset({"qualified", "disqualified"}), "qualified": frozenset({"disqualified", "converted"})}
        ),
    ),
    Kind(
        "deal",
        frozenset({"lead_id", "stage"}),
        "stage",
        MappingProxyType({stage: OPEN_STAGES | {"won", "lost"} for stage in OPEN_STAGES}),
    ),
    Kind(
        "approval",
        frozenset({"requested_by", "subject_type", "status"}),
        "status",
        MappingProxyType({"pending": frozenset({"approved", "rejected", "withdrawn"})}),
        frozenset({"payment_declined"}),  # the payment it let through, tried once approved
    ),
    Kind(
        "ticket",
        frozenset({"subject", "status"}),
        "status",
        MappingProxyType({"open": frozenset({"answered"}), "answered": frozenset({"closed"})}),
        frozenset({"answer"}),  # answered again until it is closed
    ),
    Kind("conversation", frozenset({"archived", "title"}), "archived", MappingProxyType({False: frozenset({True})})),
    Kind("notification", frozenset({"read", "kind"}), "read", MappingProxyType({False: frozenset({True})})),
    Kind("person", frozenset({"role", "email"}), moving=frozenset({"role"})),
    Kind("trail entry", frozenset({"seq", "prev_hash", "hash"})),
    Kind("project", frozenset({"opportunity_id", "tasks"})),
    Kind("campaign", frozenset({"budget", "name", "created_at"})),
)
ANY_RECORD = Kind("record", frozenset())  # a client, a task, a commission: made, never changed


def kind_of(record: Mapping[str, Any]) -> Kind:
    return next((kind for kind in KINDS if kind.told_by <= record.keys()), ANY_RECORD)


@dataclass
class Histories:
    """What each record was shown with so far in one scenario: (record, field) -> the value and where it was
    shown."""

    shown: dict[tuple[str, str], tuple[Any, str]] = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)

    def rewrites(self, http: list[HttpExchange], by_the_harness: Collection[str] = ()) -> list[str]:
        """What the new answers show that a record's history cannot have come to (each finding once); a record the
        harness rewrote in the database itself (``by_the_harness``: its id, or ``the trail of {company}`` for its
        entries) makes no claim."""
        problems = []
        for exchange in http:
            if is_restore(exchange):
                self.shown.clear()  # the restored company's records are as its backup had them
                continue
            if exchange.status >= 300:
                continue
            place = place_of(exchange)
            for key, harness_names_it, record in _records(exchange):
                if harness_names_it not in by_the_harness:
                    problems += self._against_before(key, record, place)
        fresh = [problem for problem in problems if problem not in self.reported]
        self.reported.update(fresh)
        return fresh

    def _against_before(self, key: str, record: Mapping[str, Any], place: str) -> list[str]:
        kind = kind_of(record)
        said = []
        for name, value in record.items():
            if name == "id" or name in kind.moving or not isinstance(value, SCALARS):
                continue
            before = self.shown.get((key, name))
            self.shown[(key, name)] = (value, place)
            if before is None or before[0] == value:
                continue
            was, where = before
            if name == kind.state:
                if not kind.reaches(was, value):
                    said.append(
                        f"{place} shows the {kind.name} {key} {_state(name, value)}, where {where} showed it "
                        f"{_state(name, was)}: its life cycle never goes from one to the other"
                    )
            else:
                said.append(
                    f"{place} shows the {kind.name} {key} with {name} {value!r}, where {where} showed it with "
                    f"{was!r}: once shown, its {name} never changes"
                )
        return said


def _state(name: str, value: Any) -> str:
    return f"{name} {value!r}" if isinstance(value, bool) else repr(value)


def _records(exchange: HttpExchange) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every record an answer holds (the answer itself, the items of a list, of a list in it), each named, and named
    as the harness names what it rewrites itself: a record by its id, an audit trail's entry by its company and
    place in the trail (the harness names the whole trail)."""
    for item in objects_shown(exchange):
        if isinstance(item.get("id"), str):
            yield item["id"], item["id"], item
        elif isinstance(item.get("seq"), int) and "prev_hash" in item and exchange.company:
            trail = f"the trail of {exchange.company}"
            yield f"{item['seq']} of {trail}", trail, item


def is_restore(exchange: HttpExchange) -> bool:
    """Whether the answer is a company restored from its backup (its records as they were then)."""
    return exchange.method == "POST" and exchange.path == RESTORE and exchange.status < 300


def restored_in(http: list[HttpExchange]) -> bool:
    return any(is_restore(exchange) for exchange in http)


def place_of(exchange: HttpExchange) -> str:
    """How a finding names the answer that showed something."""
    return f"the answer to {exchange.method} {exchange.path} (by {exchange.caller})"


def shown_to_people(http: list[HttpExchange]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Each object a company's person was shown (not the operator, nor anyone signed out): the company, the answer
    that showed it (``place_of``) and the object."""
    for exchange in http:
        if exchange.status < 300 and exchange.company is not None:
            place = place_of(exchange)
            yield from ((exchange.company, place, record) for record in objects_shown(exchange))


def histories_of(state: dict[str, object]) -> Histories:
    watch = state.setdefault("histories", Histories())
    assert isinstance(watch, Histories)
    return watch
