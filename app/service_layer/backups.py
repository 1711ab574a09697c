"""A company backed up and restored by the platform's operator: after a removal by mistake, or into a fresh
database. The restored company is whole (people, records, settings, audit trail, its chain's head), its
restore the next entry of its trail, and no other company is touched."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from app.adapters.company_backup import CompanyThere, NotOneCompanysRows
from app.adapters.unit_of_work import UnitOfWorkFactory
from app.domain.clock import utc_now
from app.domain.errors import Conflict, NotFound, RuleViolation

log = logging.getLogger("app.operations")
BACKUP_FORMAT = 1


def back_up(uow: UnitOfWorkFactory, company_id: uuid.UUID) -> dict[str, Any]:
    """The company's backup (platform operators only): its own row and every row it holds, as one document,
    all read at one moment: its people may be at work, and a record read after the one it names had been read
    without it (a deal whose client was written meanwhile) made the backup impossible to restore."""
    with uow(company=company_id, snapshot=True) as u:
        held = u.companies.backup_of(company_id)
    if held is None:
        raise NotFound("tenant not found")
    rows = sum(len(table) for table in held["tables"].values())
    log.warning("operator backed up the company %s (%s): %s rows", held["company"]["slug"], company_id, rows)
    return {"format": BACKUP_FORMAT, "taken_at": utc_now(), "rows": rows, **held}


def restore(uow: UnitOfWorkFactory, backup: dict[str, Any]) -> dict[str, Any]:
    """Writes a company back from its backup in one transaction (platform operators only) and audits it.

    Raises:
        Conflict: a company with its id or its name is there (a restore never overwrites one).
        RuleViolation: the document is not one company's backup of this platform; nothing is written.
    """
    company, held = backup["company"], backup["tables"]
    with uow() as u:
        try:
            written = u.companies.restore(company, held, u.enter)
        except CompanyThere as there:
            raise Conflict("company_exists", f"{there}: remove it first") from None
        except NotOneCompanysRows as bad:
            raise RuleViolation("not_a_backup", f"not one company's backup: {bad}", field="tables") from None
        u.companies.copy_analytics_again(company["id"])  # the store's events of it are those of the company removed
        u.audit.append(
            action="company_restored",
            actor_id=None,
            entity_type="tenant",
            entity_id=str(company["id"]),
            data={"rows": sum(written.values()), "taken_at": backup.get("taken_at")},
        )
    log.warning("operator restored the company %s (%s): %s rows", company["slug"], company["id"], sum(written.values()))
    return {"id": company["id"], "slug": company["slug"], "rows": sum(written.values())}
