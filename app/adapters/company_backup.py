"""A company's rows as one document and back: what its backup holds, and its restore.

Every table that holds companies' rows (a ``tenant_id`` column) is read for one company, in the order the
tables depend on each other, each row as JSON (ids, amounts and times as text, so nothing is rounded);
a restore writes them back in the same order, each value read back as its column's type. The unit of work
has entered the company: the database's own policies show and take that company's rows only.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Connection, DateTime, Numeric, Table, Uuid, insert, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.adapters.tables import metadata, tenants

COMPANY_TABLES: tuple[Table, ...] = tuple(
    table for table in metadata.sorted_tables if table is not tenants and "tenant_id" in table.c
)
BY_NAME = {table.name: table for table in COMPANY_TABLES}


class CompanyThere(ValueError):
    """A company of the backup's id or name is on the platform: a restore never overwrites one."""


class NotOneCompanysRows(ValueError):
    """A backup that does not hold rows of the one company it names, in this platform's tables."""


def rows_of(conn: Connection, company_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    """Every row of the company, by table, as JSON."""
    held = {}
    for table in COMPANY_TABLES:
        query = select(table).where(table.c.tenant_id == company_id).order_by(*table.primary_key.columns)
        held[table.name] = [
            {name: _as_json(value) for name, value in row.items()} for row in conn.execute(query).mappings()
        ]
    return held


NOT_BACKED_UP = frozenset({"sessions_from"})  # the company's sessions, not its business: a restore sets it anew


def company_as_json(company: dict[str, Any]) -> dict[str, Any]:
    """The company's own row as its backup holds it: its business, not its sessions."""
    return {name: _as_json(value) for name, value in company.items() if name not in NOT_BACKED_UP}


def put_company(conn: Connection, company: dict[str, Any]) -> uuid.UUID:
    """Writes the company's own row back as it was (its name, its audit chain's head); returns its id.

    Raises CompanyThere when a company of its id or its name is there, restored a moment ago included (a
    restore sent twice at once: the second waits for the first, then writes nothing)."""
    row = _read_back(tenants, company)
    written = pg_insert(tenants).values(**row).on_conflict_do_nothing().returning(tenants.c.id)
    if conn.execute(written).first() is None:
        raise CompanyThere(f"a company {row['slug']!r} is on the platform")
    return row["id"]


def put_rows(conn: Connection, company_id: uuid.UUID, held: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Writes every row back, in the order the tables depend on each other; returns how many, by table.

    Raises NotOneCompanysRows for a table this platform does not have, a column a table does not have, or a
    row of another company: nothing is written then (the unit of work is rolled back by the caller)."""
    unknown = sorted(set(held) - set(BY_NAME))
    if unknown:
        raise NotOneCompanysRows(f"tables this platform does not have: {', '.join(unknown)}")
    written = {}
    for table in COMPANY_TABLES:
        rows = [_read_back(table, row) for row in held.get(table.name, [])]
        if any(row.get("tenant_id") != company_id for row in rows):
            raise NotOneCompanysRows(f"{table.name} holds rows of another company")
        if rows:
            conn.execute(insert(table), rows)
        written[table.name] = len(rows)
    return written


def _read_back(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    strange = sorted(set(row) - set(table.c.keys()))
    if strange:
        raise NotOneCompanysRows(f"{table.name} has no column {', '.join(strange)}")
    try:
        return {name: _as_column(table.c[name].type, value) for name, value in row.items()}
    except (TypeError, ValueError, ArithmeticError) as bad:
        raise NotOneCompanysRows(f"{table.name}: a value that is not its column's type ({bad})") from None


def _as_json(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _as_column(kind: Any, value: Any) -> Any:
    if value is None or isinstance(kind, JSON | JSONB):
        return value
    if isinstance(kind, Uuid):
        return uuid.UUID(str(value))
    if isinstance(kind, Numeric):
        return Decimal(str(value))
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(str(value))
    return value
