"""Deliberate writes to the platform's database, named as such: the only writes the harness makes.

Tampering proves that the platform notices; backdating places a record on an
instant a scenario cannot wait for (the last second of a month). Every write is
attached to the report with the statement that made it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, text

from support.clients.database_engine import engine
from support.clients.exchanges import rewritten_by_the_harness
from support.report.evidence import attach_json

ALTER_AUDIT_ENTRY = (
    "UPDATE audit_entries SET data = data || CAST(:change AS jsonb) "
    "WHERE tenant_id = :tenant AND action = :action RETURNING seq"
)


ALTER_AUDIT_ENTRY_AT = (
    "UPDATE audit_entries SET data = data || CAST(:change AS jsonb) "
    "WHERE tenant_id = :tenant AND seq = (SELECT {which}(seq) FROM audit_entries WHERE tenant_id = :tenant) "
    "RETURNING seq"
)


def _written(database_url: str, statement: str, params: dict[str, Any]) -> list[Row]:
    """Runs one writing statement in its own transaction; the rows it returns. The records it names (an invoice, a
    payment) or whose trail it touches are noted as the harness's own writing."""
    rewritten_by_the_harness(
        *(str(params[name]) for name in ("invoice", "payment") if name in params),
        *([f"the trail of {params['tenant']}"] if "audit_entries" in statement else []),
    )
    tampering = engine(database_url)
    try:
        with tampering.begin() as conn:
            return conn.execute(text(statement), params).all()
    finally:
        tampering.dispose()


def tamper_with_audit_entry_at(database_url: str, tenant_id: str, position: str) -> int:
    """Changes the data of the tenant's ``oldest`` or ``newest`` audit entry; returns its seq."""
    statement = ALTER_AUDIT_ENTRY_AT.format(which={"oldest": "min", "newest": "max"}[position])
    (seq,) = _written(database_url, statement, {"change": '{"total": "1.00"}', "tenant": tenant_id})[0]
    attach_json(
        f"TAMPER: the {position} audit entry ({seq}) altered in the database",
        {"statement": statement, "tenant": tenant_id, "seq": seq},
    )
    return int(seq)


def tamper_with_audit_entry(database_url: str, tenant_id: str, action: str) -> int:
    """Changes the data of the tenant's (single) audit entry for ``action``; returns its seq."""
    params = {"change": '{"total": "1.00"}', "tenant": tenant_id, "action": action}
    seqs = [row.seq for row in _written(database_url, ALTER_AUDIT_ENTRY, params)]
    if len(seqs) != 1:
        raise AssertionError(f"expected one '{action}' entry to tamper with, found {len(seqs)}")
    attach_json(
        f"TAMPER: audit entry {seqs[0]} ({action}) altered in the database",
        {"statement": ALTER_AUDIT_ENTRY, "tenant": tenant_id, "action": action, "seq": seqs[0]},
    )
    return seqs[0]


REMOVE_NEWEST_AUDIT_ENTRY = (
    "DELETE FROM audit_entries WHERE tenant_id = :tenant "
    "AND seq = (SELECT max(seq) FROM audit_entries WHERE tenant_id = :tenant) RETURNING seq"
)


def remove_newest_audit_entry(database_url: str, tenant_id: str) -> int:
    """Deletes the tenant's newest audit entry (the chain before it still links); returns its seq."""
    (seq,) = _written(database_url, REMOVE_NEWEST_AUDIT_ENTRY, {"tenant": tenant_id})[0]
    attach_json(
        f"TAMPER: the newest audit entry ({seq}) removed from the database",
        {"statement": REMOVE_NEWEST_AUDIT_ENTRY, "tenant": tenant_id, "seq": seq},
    )
    return int(seq)


REMOVE_EVERY_AUDIT_ENTRY = "DELETE FROM audit_entries WHERE tenant_id = :tenant RETURNING seq"


def remove_every_audit_entry(database_url: str, tenant_id: str) -> int:
    """Deletes every entry of the tenant's audit trail (its head, kept with the company, still names the newest);
    returns the first seq removed."""
    removed = sorted(int(seq) for (seq,) in _written(database_url, REMOVE_EVERY_AUDIT_ENTRY, {"tenant": tenant_id}))
    attach_json(
        f"TAMPER: every audit entry ({len(removed)}) removed from the database",
        {"statement": REMOVE_EVERY_AUDIT_ENTRY, "tenant": tenant_id, "seqs": removed},
    )
    return removed[0]


BACKDATE_INVOICE = "UPDATE invoices SET issued_at = :issued_at WHERE tenant_id = :tenant AND id = :invoice RETURNING id"


DATE_COMMISSIONS = (
    "UPDATE commissions SET created_at = :earned_at WHERE tenant_id = :tenant AND payment_id = :payment RETURNING id"
)


DATE_PAYMENT = "UPDATE payments SET received_at = :received_at WHERE tenant_id = :tenant AND id = :payment RETURNING id"


def date_payment(database_url: str, tenant_id: str, payment_id: str, received_at: datetime) -> None:
    """Sets the instant one of the tenant's payments was received at (aware, UTC)."""
    params = {"received_at": received_at, "tenant": tenant_id, "payment": payment_id}
    _date_one(database_url, DATE_PAYMENT, params, f"payment {payment_id} of the tenant")
    attach_json(f"DATED: payment {payment_id} received at {received_at.isoformat()}", _shown(DATE_PAYMENT, params))


def date_commissions_of(database_url: str, tenant_id: str, payment_id: str, earned_at: datetime) -> None:
    """Sets the instant the commissions a payment earned were earned at (aware, UTC)."""
    moved = _written(
        database_url, DATE_COMMISSIONS, {"earned_at": earned_at, "tenant": tenant_id, "payment": payment_id}
    )
    if not moved:
        raise AssertionError(f"expected commissions earned by payment {payment_id} to date, found none")
    attach_json(
        f"DATED: the commissions of payment {payment_id} earned at {earned_at.isoformat()}",
        {"statement": DATE_COMMISSIONS, "tenant": tenant_id, "payment": payment_id, "earned_at": earned_at.isoformat()},
    )


DATE_AUDIT_ENTRY = (
    "UPDATE audit_entries SET occurred_at = :occurred_at "
    "WHERE tenant_id = :tenant AND entity_id = :entity AND action = :action RETURNING seq"
)


def date_audit_entry(database_url: str, tenant_id: str, entity_id: str, action: str, occurred_at: datetime) -> None:
    """Sets the instant of the trail's entry of ``action`` on one record (aware, UTC). The entry's hash is not
    made again: the company's chain no longer verifies (a scenario doing this checks reports, not the trail)."""
    params = {"occurred_at": occurred_at, "tenant": tenant_id, "entity": entity_id, "action": action}
    _date_one(database_url, DATE_AUDIT_ENTRY, params, f"one {action} entry of {entity_id}")
    attach_json(
        f"DATED: the {action} entry of {entity_id} at {occurred_at.isoformat()}", _shown(DATE_AUDIT_ENTRY, params)
    )


def backdate_invoice(database_url: str, tenant_id: str, invoice_id: str, issued_at: datetime) -> None:
    """Sets the issue instant of one of the tenant's invoices (aware, UTC)."""
    params = {"issued_at": issued_at, "tenant": tenant_id, "invoice": invoice_id}
    _date_one(database_url, BACKDATE_INVOICE, params, f"invoice {invoice_id} of the tenant")
    attach_json(f"BACKDATE: invoice {invoice_id} issued at {issued_at.isoformat()}", _shown(BACKDATE_INVOICE, params))


def _date_one(database_url: str, statement: str, params: dict[str, Any], what: str) -> None:
    """Runs a statement that dates one record; raises naming ``what`` when it dated none or several."""
    moved = _written(database_url, statement, params)
    if len(moved) != 1:
        raise AssertionError(f"expected {what} to date, found {len(moved)}")


def _shown(statement: str, params: dict[str, Any]) -> dict[str, Any]:
    """The statement and its values, moments as ISO text: what the report shows of a dating."""
    return {"statement": statement, **{k: v.isoformat() if isinstance(v, datetime) else v for k, v in params.items()}}
