"""A user's notifications, stored; their live delivery is published after commit (``NotificationFeed``)."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import redis
from sqlalchemy import Connection, insert, select, update

from app.adapters.tables import notifications
from app.adapters.tenant_cache import tenant_prefix
from app.domain.clock import utc_now

log = logging.getLogger("app.notifications")


def feed_key(tenant_id: Any, user_id: Any) -> str:
    return f"{tenant_prefix(tenant_id)}user:{user_id}:notifications"


class NotificationsRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, tenant_id: uuid.UUID, user_id: uuid.UUID, **fields: Any) -> dict[str, Any]:
        row = {"id": uuid.uuid4(), "tenant_id": tenant_id, "user_id": user_id, "read": False,
               "created_at": utc_now(), **fields}
        return dict(self._conn.execute(insert(notifications).values(**row).returning(*notifications.c))
                    .mappings().one())

    def of_user(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> list[dict[str, Any]]:
        query = (select(notifications).where(notifications.c.tenant_id == tenant_id,
                                             notifications.c.user_id == user_id)
                 .order_by(notifications.c.created_at))
        return [dict(r) for r in self._conn.execute(query).mappings()]

    def mark_read(self, tenant_id: uuid.UUID, user_id: uuid.UUID, notification_id: uuid.UUID) -> bool:
        done = self._conn.execute(update(notifications).where(
            notifications.c.tenant_id == tenant_id, notifications.c.user_id == user_id,
            notifications.c.id == notification_id).values(read=True))
        return done.rowcount == 1


class NotificationFeed:
    """Publishes a stored notification to its user's Redis stream, for their open sockets.

    Each entry gets the user's next ``seq``; a socket follows from the seq it
    connected at, so it sees only what arrives while it is open. A Redis failure
    loses only the live push: the notification is stored and listed.
    """

    def __init__(self, client: redis.Redis, *, retention_seconds: int = 3600) -> None:
        self._redis = client
        self._retention = retention_seconds

    def last_seq(self, tenant_id: Any, user_id: Any) -> int:
        return int(self._redis.get(feed_key(tenant_id, user_id) + ":seq") or -1)

    def publish(self, tenant_id: Any, notification: dict[str, Any]) -> None:
        key = feed_key(tenant_id, notification["user_id"])
        try:
            seq = int(self._redis.incr(key + ":seq"))
            event = {"v": 1, "type": "notification", "seq": seq, "event_id": f"{notification['id']}",
                     "ts": notification["created_at"].isoformat(), "data": {
                         "id": str(notification["id"]), "kind": notification["kind"], "text": notification["text"],
                         "subject_type": notification["subject_type"], "subject_id": notification["subject_id"]}}
            pipe = self._redis.pipeline()
            pipe.xadd(key, {"event": json.dumps(event)}, maxlen=1000)
            pipe.expire(key, self._retention)
            pipe.expire(key + ":seq", self._retention)
            pipe.execute()
        except redis.RedisError as exc:
            log.warning("notification %s stored but not pushed live: %s", notification["id"], exc)
