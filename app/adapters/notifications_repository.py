"""A user's notifications, stored; their live delivery is published after commit
(``app.adapters.event_stream.NotificationFeed``)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, insert, update

from app.adapters.paging import in_making_order
from app.adapters.rows import record, records
from app.adapters.tables import notifications
from app.domain.clock import utc_now
from app.domain.pages import Page
from app.domain.records import NotificationRecord


class NotificationsRepository:
    def __init__(self, conn: Connection, company: uuid.UUID) -> None:
        self._conn = conn
        self._company = company

    def add(self, user_id: uuid.UUID, **fields: Any) -> NotificationRecord:
        row = {
            "id": uuid.uuid4(),
            "tenant_id": self._company,
            "user_id": user_id,
            "read": False,
            "created_at": utc_now(),
            **fields,
        }
        return record(
            self._conn.execute(insert(notifications).values(**row).returning(*notifications.c)).mappings().one()
        )

    def of_user(self, user_id: uuid.UUID, page: Page) -> list[NotificationRecord]:
        statement, values = in_making_order(notifications, self._company, {"user_id": user_id}, page)
        return records(self._conn.execute(statement, values).mappings())

    def mark_read(self, user_id: uuid.UUID, notification_id: uuid.UUID) -> bool:
        done = self._conn.execute(
            update(notifications)
            .where(
                notifications.c.tenant_id == self._company,
                notifications.c.user_id == user_id,
                notifications.c.id == notification_id,
            )
            .values(read=True)
        )
        return done.rowcount == 1
