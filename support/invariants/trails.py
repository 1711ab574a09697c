"""The audit trails of the scenario's companies, as the checks of its last step read them.

Read from the database where the harness reaches it (a plain read, which nothing a scenario holds can make
wait: a sign-in to read the trail through the API would wait for a job holding the company's records), and
through the API, by the company's owner, elsewhere. A company the scenario removed has no trail left, and a
database the scenario stopped none to read: neither is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from support.clients.paths import Compliance
from support.scenario.personas import OWNER_PERSONA


def readable(world: Any, companies: Iterable[str]) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    """Each of ``companies`` (ids) that is one of the scenario's, with its trail's entries (who, what, data);
    a company the scenario made by other means (a crowd's) is not the scenario's to read."""
    labels = {world.home.id: None, **{tenant.id: label for label, tenant in world.others.items()}}
    for company in sorted(set(companies)):
        if company not in labels:
            continue
        entries = _entries(world, company, labels[company])
        if entries:  # none: the company removed (its first entry, its making, went with it), or no way to read
            yield world.tenant(labels[company]), entries


def _entries(world: Any, company: str, label: str | None) -> list[dict[str, Any]] | None:
    if not world.db.available:
        try:
            return world.actor(OWNER_PERSONA, label).lists(Compliance.AUDIT)
        except AssertionError:  # the company is gone, and its trail with it
            return None
    try:
        return world.db.rows("audit_of_tenant", evidence=False, tenant=company)
    except SQLAlchemyError:  # the database stopped by the scenario
        return None
