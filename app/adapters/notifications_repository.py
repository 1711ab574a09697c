"""A user's notifications, stored; their live delivery is published after commit
(``app.adapters.event_stream.NotificationFeed``)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.adapters.rows import record, records
from app.adapters.tables import notifications
from app.domain.clock import utc_now
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

    def of_user(self, user_id: uuid.UUID) -> list[NotificationRecord]:
        query = (
            select(notifications)
            .where(notifications.c.tenant_id == self._company, notifications.c.user_id == user_id)
            .order_by(notifications.c.created_at, notifications.c.id)
        )
        return records(self._conn.execute(query).mappings())

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
