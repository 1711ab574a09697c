"""Every write the platform accepted from a person is in their company's audit trail, by them.

The trail records the business: a lead captured, a deal moved, an invoice issued, a payment taken, a ticket
answered, a colleague added, a sign-out. Checked once per scenario, at its last step: for each person of the
scenario's companies who wrote, their company's trail (read as ``_trail`` says) holds at least as many entries by them as the platform
accepted distinct writes from them (a 2xx answer to a POST, PUT, PATCH or DELETE; a request sent again and
answered with the record it made the first time counts once, for whoever sent it first). Left out: the two writes that are nobody's
business but the writer's (archiving one's own conversation, marking one's own notification read), and a
change of a colleague's role (a change to the role they have is no change; a real one is checked by the
security events' scenarios). The operator's requests and sign-ins belong to no company's person; the trail's
entries of no write (sign-ins, refusals) are not counted for the writes.

Each write is in the trail as itself, too: each has an entry of its own by its writer, about a record the write
named (an id of its path, the record it answered with, or the approval a held payment asked for); two writes are
never told by one entry. An entry filed under another record (a deal's move under its lead, a lead's
qualification under the newest lead) is found here, where counting entries alone would not.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from support.clients.exchanges import HttpExchange, Recorder
from support.clients.paths import API_PREFIX
from support.invariants import trails
from support.invariants.isolation import RECORD_ID

WRITES = ("POST", "PUT", "PATCH", "DELETE")
NOT_WRITES = {"signed_in", "sign_in_failed", "access_denied", "assistant_tool_refused"}  # entries of no write
NOT_AUDITED = re.compile(
    rf"^{re.escape(API_PREFIX)}/(assistant/threads/[^/]+/archive|notifications/[^/]+/read|users/[^/]+)$"
)


def write_of(exchange: HttpExchange) -> tuple[str, str, str] | None:
    """(company, person, which write) for a write the platform accepted from a person; None for anything else."""
    if exchange.method not in WRITES or not 200 <= exchange.status < 300 or exchange.company is None:
        return None
    path = exchange.path.split("?")[0]
    if not path.startswith(API_PREFIX) or NOT_AUDITED.match(path):
        return None
    made = _answered(exchange).get("id")
    return exchange.company, exchange.caller, f"{exchange.method} {path} {made or id(exchange)}"


def named_by(exchange: HttpExchange) -> frozenset[str]:
    """The records a write names, lower case: the ids of its path, the id of the record it answered with and of
    each record the answer holds whole, and the approval a write held for one asked for."""
    answered = _answered(exchange)
    ids = [
        answered.get("id"),
        answered.get("approval_id"),
        *(value.get("id") for value in answered.values() if isinstance(value, dict)),
    ]
    found = RECORD_ID.findall(exchange.path.split("?")[0].lower())
    return frozenset(found + [i.lower() for i in ids if isinstance(i, str) and RECORD_ID.fullmatch(i.lower())])


def _answered(exchange: HttpExchange) -> dict[str, Any]:
    try:
        answered = json.loads(exchange.text) if exchange.text else None
    except ValueError:
        return {}
    return answered if isinstance(answered, dict) else {}


def missing(world: Any, recorder: Recorder) -> list[str]:
    """A violation for each person whose accepted writes outnumber their entries in their company's trail, and
    for each write left without an entry of its own; none for a company the scenario can no longer read (removed
    by it: its trail went with it)."""
    writes: dict[tuple[str, str], dict[str, frozenset[str]]] = {}
    first_made_by: dict[tuple[str, str], str] = {}  # (company, write): who made it first; a replay is theirs
    for exchange in recorder.http:
        found = write_of(exchange)
        if found is not None:
            company, person, write = found
            writer = first_made_by.setdefault((company, write), person)
            writes.setdefault((company, writer), {}).setdefault(write, named_by(exchange))
    if not writes:
        return []
    problems = []
    for tenant, entries in trails.readable(world, [company for company, _ in writes]):
        entries = [entry for entry in entries if entry["action"] not in NOT_WRITES]
        by = Counter(str(entry["actor_id"]) for entry in entries)
        for (written_in, person), made in sorted(writes.items()):
            actor = tenant.actors.get(person)
            if written_in != tenant.id or actor is None:
                continue
            if by[actor.user_id] < len(made):
                problems.append(
                    f"{person} of {tenant.slug} had {len(made)} writes accepted, and the company's audit trail holds"
                    f" {by[actor.user_id]} entries by them: {', '.join(sorted(w.rsplit(' ', 1)[0] for w in made))}"
                )
                continue
            theirs = [entry for entry in entries if str(entry["actor_id"]) == actor.user_id and "entity_id" in entry]
            if not theirs:
                continue  # entries that do not say what they are about: a trail read some other way, no claim
            unmatched = _unmatched(made, [str(entry["entity_id"]).lower() for entry in theirs])
            problems += [
                f"a write has no audit entry of its own about what it wrote ({', '.join(sorted(made[write]))}):"
                f" {person}'s {write.rsplit(' ', 1)[0]}, in {tenant.slug}; {person}'s entries are about"
                f" {', '.join(sorted(_about(entry) for entry in theirs))}"
                for write in unmatched
            ]
    return problems


def _unmatched(made: dict[str, frozenset[str]], about: list[str]) -> list[str]:
    """The writes left without an entry of their own when each write that names records is given a distinct
    entry about one of them (a matching as large as can be: augmenting paths, Kuhn's way)."""
    entry_of: dict[int, str] = {}  # entry's place -> the write it is given to

    def give(write: str, seen: set[int]) -> bool:
        for place, subject in enumerate(about):
            if subject in made[write] and place not in seen:
                seen.add(place)
                if place not in entry_of or give(entry_of[place], seen):
                    entry_of[place] = write
                    return True
        return False

    return [write for write in sorted(made) if made[write] and not give(write, set())]


def _about(entry: dict[str, Any]) -> str:
    return f"{entry['action']} of {entry['entity_type']} {entry['entity_id']}"
