"""Leads, clients, opportunities, projects and their tasks, campaigns and tickets: one row per record, by kind."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, Literal, overload

from sqlalchemy import Connection, Table, insert, select, update

from app.adapters.paging import in_making_order
from app.adapters.tables import campaigns, clients, leads, opportunities, projects, tasks, tickets, users
from app.domain.clock import utc_now
from app.domain.pages import Page
from app.domain.records import (
    CampaignRecord,
    ClientRecord,
    DealRecord,
    Kind,
    LeadRecord,
    PersonRecord,
    ProjectRecord,
    TaskRecord,
    TicketRecord,
)

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

    @overload
    def add(self, kind: Literal[Kind.LEADS], **fields: Any) -> LeadRecord: ...
    @overload
    def add(self, kind: Literal[Kind.CLIENTS], **fields: Any) -> ClientRecord: ...
    @overload
    def add(self, kind: Literal[Kind.DEALS], **fields: Any) -> DealRecord: ...
    @overload
    def add(self, kind: Literal[Kind.PROJECTS], **fields: Any) -> ProjectRecord: ...
    @overload
    def add(self, kind: Literal[Kind.TASKS], **fields: Any) -> TaskRecord: ...
    @overload
    def add(self, kind: Literal[Kind.CAMPAIGNS], **fields: Any) -> CampaignRecord: ...
    @overload
    def add(self, kind: Literal[Kind.TICKETS], **fields: Any) -> TicketRecord: ...
    @overload
    def add(self, kind: Literal[Kind.USERS], **fields: Any) -> PersonRecord: ...
    def add(self, kind: Kind, **fields: Any) -> Any:
        table = TABLES[kind]
        row = {"id": uuid.uuid4(), "tenant_id": self._company, "created_at": utc_now(), **fields}
        return dict(self._conn.execute(insert(table).values(**row).returning(*table.c)).mappings().one())

    @overload
    def get(self, kind: Literal[Kind.LEADS], record_id: uuid.UUID, *, lock: bool = ...) -> LeadRecord | None: ...
    @overload
    def get(self, kind: Literal[Kind.CLIENTS], record_id: uuid.UUID, *, lock: bool = ...) -> ClientRecord | None: ...
    @overload
    def get(self, kind: Literal[Kind.DEALS], record_id: uuid.UUID, *, lock: bool = ...) -> DealRecord | None: ...
    @overload
    def get(self, kind: Literal[Kind.PROJECTS], record_id: uuid.UUID, *, lock: bool = ...) -> ProjectRecord | None: ...
    @overload
    def get(self, kind: Literal[Kind.TASKS], record_id: uuid.UUID, *, lock: bool = ...) -> TaskRecord | None: ...
    @overload
    def get(
        self, kind: Literal[Kind.CAMPAIGNS], record_id: uuid.UUID, *, lock: bool = ...
    ) -> CampaignRecord | None: ...
    @overload
    def get(self, kind: Literal[Kind.TICKETS], record_id: uuid.UUID, *, lock: bool = ...) -> TicketRecord | None: ...
    @overload
    def get(self, kind: Literal[Kind.USERS], record_id: uuid.UUID, *, lock: bool = ...) -> PersonRecord | None: ...
    def get(self, kind: Kind, record_id: uuid.UUID, *, lock: bool = False) -> Any:
        table = TABLES[kind]
        query = select(table).where(table.c.tenant_id == self._company, table.c.id == record_id)
        if lock:
            query = query.with_for_update()
        row = self._conn.execute(query).mappings().first()
        return dict(row) if row else None

    @overload
    def list(
        self, kind: Literal[Kind.LEADS], *, limit: int | None = None, page: Page | None = None, **filters: Any
    ) -> list[LeadRecord]: ...
    @overload
    def list(
        self, kind: Literal[Kind.CLIENTS], *, limit: int | None = None, page: Page | None = None, **filters: Any
    ) -> list[ClientRecord]: ...
    @overload
    def list(
        self, kind: Literal[Kind.DEALS], *, limit: int | None = None, page: Page | None = None, **filters: Any
    ) -> list[DealRecord]: ...
    @overload
    def list(
        self, kind: Literal[Kind.PROJECTS], *, limit: int | None = None, page: Page | None = None, **filters: Any
    ) -> list[ProjectRecord]: ...
    @overload
    def list(
        self, kind: Literal[Kind.TASKS], *, limit: int | None = None, page: Page | None = None, **filters: Any
    ) -> list[TaskRecord]: ...
    @overload
    def list(
        self, kind: Literal[Kind.CAMPAIGNS], *, limit: int | None = None, page: Page | None = None, **filters: Any
    ) -> list[CampaignRecord]: ...
    @overload
    def list(
        self, kind: Literal[Kind.TICKETS], *, limit: int | None = None, page: Page | None = None, **filters: Any
    ) -> list[TicketRecord]: ...
    @overload
    def list(
        self, kind: Literal[Kind.USERS], *, limit: int | None = None, page: Page | None = None, **filters: Any
    ) -> list[PersonRecord]: ...
    @overload
    def list(
        self, kind: Kind, *, limit: int | None = None, page: Page | None = None, **filters: Any
    ) -> list[Mapping[str, Any]]: ...
    def list(self, kind: Kind, *, limit: int | None = None, page: Page | None = None, **filters: Any) -> list[Any]:
        """Records of a kind in the order they were made; ``page`` reads one page of them, after a position."""
        statement, values = in_making_order(TABLES[kind], self._company, filters, page, limit)
        return [dict(r) for r in self._conn.execute(statement, values).mappings()]

    def change(self, kind: Kind, record_id: uuid.UUID, **fields: Any) -> None:
        table = TABLES[kind]
        self._conn.execute(
            update(table).where(table.c.tenant_id == self._company, table.c.id == record_id).values(**fields)
        )

    def project_for_deal(self, deal_id: uuid.UUID) -> ProjectRecord | None:
        """The deal's project; a deal has one at most (its deal is unique among projects)."""
        return next(iter(self.list(Kind.PROJECTS, opportunity_id=deal_id)), None)
