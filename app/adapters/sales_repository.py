"""Leads, clients, opportunities, projects and their tasks, campaigns and tickets: one row per record, by kind."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update

from app.adapters.paging import in_making_order
from app.adapters.tables import campaigns, clients, leads, opportunities, projects, tasks, tickets, users
from app.domain.clock import utc_now
from app.domain.pages import Page
from app.domain.records import Kind

TABLES: dict[Kind, Table] = {
    Kind.LEADS: leads,
    Kind.CLIENTS: clients,
    Kind.DEALS: opportunities,
    Kind.PROJECTS: projects,
    Kind.TASKS: tasks,
    Kind.CAMPAIGNS: campaigns,
    Kind.TICKETS: tickets,
    Kind.USERS: users,
}


class SalesRepository:
    def __init__(self, conn: Connection, company: uuid.UUID) -> None:
        self._conn = conn
        self._company = company

    def add(self, kind: Kind, **fields: Any) -> dict[str, Any]:
        table = TABLES[kind]
        row = {"id": uuid.uuid4(), "tenant_id": self._company, "created_at": utc_now(), **fields}
        return dict(self._conn.execute(insert(table).values(**row).returning(*table.c)).mappings().one())

    def get(self, kind: Kind, record_id: uuid.UUID, *, lock: bool = False) -> dict[str, Any] | None:
        table = TABLES[kind]
        query = select(table).where(table.c.tenant_id == self._company, table.c.id == record_id)
        if lock:
            query = query.with_for_update()
        row = self._conn.execute(query).mappings().first()
        return dict(row) if row else None

    def list(
        self, kind: Kind, *, limit: int | None = None, page: Page | None = None, **filters: Any
    ) -> list[dict[str, Any]]:
        """Records of a kind in the order they were made; ``page`` reads one page of them, after a position."""
        table = TABLES[kind]
        query = select(table).where(table.c.tenant_id == self._company)
        for column, value in filters.items():
            query = query.where(table.c[column] == value)
        query = in_making_order(query, table, page)
        if page is None and limit is not None:
            query = query.limit(limit)
        return [dict(r) for r in self._conn.execute(query).mappings()]

    def change(self, kind: Kind, record_id: uuid.UUID, **fields: Any) -> None:
        table = TABLES[kind]
        self._conn.execute(
            update(table).where(table.c.tenant_id == self._company, table.c.id == record_id).values(**fields)
        )

    def project_for_deal(self, deal_id: uuid.UUID) -> dict[str, Any] | None:
        found = self.list(Kind.PROJECTS, opportunity_id=deal_id, limit=1)
        return found[0] if found else None


__all__ = ["TABLES", "SalesRepository"]
