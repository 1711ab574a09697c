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
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from support.clients.exchanges import HttpExchange, Recorder
from support.clients.paths import API_PREFIX
from support.invariants import trails

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
    try:
        made = json.loads(exchange.text).get("id") if exchange.text else None
    except (ValueError, AttributeError):
        made = None
    return exchange.company, exchange.caller, f"{exchange.method} {path} {made or id(exchange)}"


def missing(world: Any, recorder: Recorder) -> list[str]:
    """A violation for each person whose accepted writes outnumber their entries in their company's trail;
    none for a company the scenario can no longer read (removed by it: its trail went with it)."""
    writes: dict[tuple[str, str], set[str]] = {}
    first_made_by: dict[tuple[str, str], str] = {}  # (company, write): who made it first; a replay is theirs
    for exchange in recorder.http:
        found = write_of(exchange)
        if found is not None:
            company, person, write = found
            writer = first_made_by.setdefault((company, write), person)
            writes.setdefault((company, writer), set()).add(write)
    if not writes:
        return []
    problems = []
    for tenant, entries in trails.readable(world, [company for company, _ in writes]):
        by = Counter(str(entry["actor_id"]) for entry in entries if entry["action"] not in NOT_WRITES)
        for (written_in, person), made in sorted(writes.items()):
            actor = tenant.actors.get(person)
            if written_in != tenant.id or actor is None:
                continue
            if by[actor.user_id] < len(made):
                problems.append(
                    f"{person} of {tenant.slug} had {len(made)} writes accepted, and the company's audit trail holds"
                    f" {by[actor.user_id]} entries by them: {', '.join(sorted(w.rsplit(' ', 1)[0] for w in made))}"
                )
    return problems
