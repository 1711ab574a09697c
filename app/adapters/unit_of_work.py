"""One database transaction per use case, with the repositories bound to it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy import Connection, Engine

from app.adapters.approvals_repository import ApprovalsRepository
from app.adapters.assistant_repository import AssistantRepository
from app.adapters.audit_repository import AuditRepository
from app.adapters.billing_repository import BillingRepository
from app.adapters.idempotency_store import IdempotencyStore
from app.adapters.notifications_repository import NotificationFeed, NotificationsRepository
from app.adapters.outbox import OutboxRepository
from app.adapters.reports_repository import ReportsRepository
from app.adapters.sales_repository import SalesRepository
from app.adapters.settings_repository import SettingsRepository
from app.adapters.tenancy_repository import TenancyRepository


class UnitOfWork:
    """Repositories sharing one connection inside one transaction."""

    def __init__(self, conn: Connection, feed: NotificationFeed | None = None) -> None:
        self.conn = conn
        self._feed = feed
        self.tenancy = TenancyRepository(conn)
        self.sales = SalesRepository(conn)
        self.billing = BillingRepository(conn)
        self.audit = AuditRepository(conn)
        self.idempotency = IdempotencyStore(conn)
        self.reports = ReportsRepository(conn)
        self.assistant = AssistantRepository(conn)
        self.settings = SettingsRepository(conn)
        self.approvals = ApprovalsRepository(conn)
        self.notifications = NotificationsRepository(conn)
        self.outbox = OutboxRepository(conn)
        self.after_commit: list[Callable[[], None]] = []  # e.g. live pushes: only once the data is durable

    def notify(self, tenant_id: uuid.UUID, user_id: uuid.UUID, *, kind: str, text: str, subject_type: str,
               subject_id: object) -> dict:
        """Stores a notification now; pushes it to the user's open sockets once the transaction commits."""
        row = self.notifications.add(tenant_id, user_id, kind=kind, text=text[:500], subject_type=subject_type,
                                     subject_id=str(subject_id))
        if self._feed is not None:
            self.after_commit.append(lambda: self._feed.publish(tenant_id, row))
        return row


UnitOfWorkFactory = Callable[..., AbstractContextManager[UnitOfWork]]


def sql_unit_of_work(engine: Engine, *, feed: NotificationFeed | None = None) -> UnitOfWorkFactory:
    """Returns a factory: ``with uow() as u:`` commits on success, rolls back on any error."""

    @contextmanager
    def unit_of_work(*, statement_timeout_ms: int | None = None) -> Iterator[UnitOfWork]:
        """``statement_timeout_ms`` makes PostgreSQL cancel any statement that runs (or waits) longer."""
        with engine.begin() as conn:
            if statement_timeout_ms is not None:
                conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(statement_timeout_ms)}")
            work = UnitOfWork(conn, feed)
            yield work
        for action in work.after_commit:
            action()

    return unit_of_work
