"""Every refusal for want of a permission that a scenario saw is in its company's security trail.

A person refused because their role lacks a permission gets a 403 naming what
it needs ("... (needs sales:write)"); the platform must also have written an
``access_denied`` entry to the company's trail, by that person, naming that
permission. Checked once per scenario, at its last step, over every answer it
received: each company's trail is read once (``trails``). A refusal of
another kind (the operator's wrong key, approving one's own request) names no
permission and is not a security event.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from support.clients.exchanges import HttpExchange, Recorder
from support.invariants import trails

NEEDS = re.compile(r"\(needs ([a-z_]+:[a-z_]+)\)$")


def permission_refused(exchange: HttpExchange) -> str | None:
    """The permission a 403 to a person of a company says was lacking; None for any other answer."""
    if exchange.status != 403 or exchange.company is None:
        return None
    try:
        error = json.loads(exchange.text).get("error", {})
    except (ValueError, AttributeError):
        return None  # the error-shape rule reports it
    found = NEEDS.search(str(error.get("message", ""))) if isinstance(error, dict) else None
    return found.group(1) if found else None


def missing(world: Any, recorder: Recorder) -> list[str]:
    """A violation for each refusal (person, permission) seen more often than its company's trail records it;
    none for a company the scenario can no longer read (removed by it: its trail went with it)."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for exchange in recorder.http:
        permission = permission_refused(exchange)
        if permission is not None and exchange.company is not None:
            seen[(exchange.company, exchange.caller, permission)] += 1
    if not seen:
        return []
    problems = []
    for tenant, entries in trails.readable(world, [company for company, _, _ in seen]):
        audited = Counter(
            (str(e["actor_id"]), (e["data"] or {}).get("permission")) for e in entries if e["action"] == "access_denied"
        )
        for (where, caller, permission), times in sorted(seen.items()):
            actor = tenant.actors.get(caller)
            if where != tenant.id or actor is None:
                continue
            recorded = audited[(str(actor.user_id), permission)]
            if recorded < times:
                problems.append(
                    f"{caller} was refused for want of {permission} {times} time(s), but the company's security"
                    f" trail records {recorded}"
                )
    return problems
