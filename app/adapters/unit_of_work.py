"""One database transaction per use case, with the repositories bound to it.

Two ways in, one set of repositories: ``sql_unit_of_work`` for blocking callers
(the HTTP routes, run in worker threads) and ``async_unit_of_work`` for the
event loop (the assistant's hot path), which runs the same synchronous
repository code inside SQLAlchemy's asyncio engine (greenlets over psycopg's
async connection): no thread hop per database call.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager, asynccontextmanager, contextmanager
from typing import Protocol, TypeVar

from psycopg.errors import QueryCanceled
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.adapters.approvals_repository import ApprovalsRepository
from app.adapters.assistant_repository import AssistantRepository
from app.adapters.audit_repository import AuditRepository
from app.adapters.billing_repository import BillingRepository
from app.adapters.event_stream import NotificationFeed
from app.adapters.idempotency_store import IdempotencyStore
from app.adapters.notifications_repository import NotificationsRepository
from app.adapters.outbox import MailWake, OutboxRepository
from app.adapters.reports_repository import ReportsRepository
from app.adapters.sales_repository import SalesRepository
from app.adapters.settings_repository import SettingsRepository
from app.adapters.tenancy_repository import TenancyRepository
from app.domain.errors import DependencyUnavailable, TimedOut

T = TypeVar("T")


class UnitOfWork:
    """Repositories sharing one connection inside one transaction."""

    def __init__(
        self, conn: Connection, feed: NotificationFeed | None = None, mail_wake: MailWake | None = None
    ) -> None:
        self.conn = conn
        self._feed = feed
        self.after_commit: list[Callable[[], None]] = []  # e.g. live pushes: only once the data is durable
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
        self.outbox = OutboxRepository(conn, after_commit=self.after_commit, wake=mail_wake)

    def notify(
        self, tenant_id: uuid.UUID, user_id: uuid.UUID, *, kind: str, text: str, subject_type: str, subject_id: object
    ) -> dict:
        """Stores a notification now; pushes it to the user's open sockets once the transaction commits."""
        row = self.notifications.add(
            tenant_id, user_id, kind=kind, text=text[:500], subject_type=subject_type, subject_id=str(subject_id)
        )
        feed = self._feed
        if feed is not None:
            self.after_commit.append(lambda: feed.publish(tenant_id, row))
        return row


UnitOfWorkFactory = Callable[..., AbstractContextManager[UnitOfWork]]


def sql_unit_of_work(
    engine: Engine, *, feed: NotificationFeed | None = None, mail_wake: MailWake | None = None
) -> UnitOfWorkFactory:
    """Returns a factory: ``with uow() as u:`` commits on success, rolls back on any error."""

    @contextmanager
    def unit_of_work(*, statement_timeout_ms: int | None = None) -> Iterator[UnitOfWork]:
        """``statement_timeout_ms`` makes PostgreSQL cancel any statement that runs (or waits) longer."""
        with engine.begin() as conn:
            if statement_timeout_ms is not None:
                conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(statement_timeout_ms)}")
            work = UnitOfWork(conn, feed, mail_wake)
            yield work
        for action in work.after_commit:
            action()

    return unit_of_work


class AsyncUnitOfWork(Protocol):
    def __call__(
        self,
        work: Callable[[UnitOfWorkFactory], T],
        *,
        statement_timeout_ms: int | None = None,
        autocommit: bool = False,
    ) -> Awaitable[T]: ...

    def transaction(self, *, statement_timeout_ms: int | None = None) -> AbstractAsyncContextManager[Steps]: ...


class Steps:
    """Several pieces of use-case code in one transaction, with awaits of other things between them."""

    def __init__(self, conn: AsyncConnection, feed: NotificationFeed | None) -> None:
        self._conn = conn
        self._feed = feed
        self.opened: list[UnitOfWork] = []

    async def run(self, work: Callable[[UnitOfWorkFactory], T]) -> T:
        """``work(uow)`` inside the transaction; every ``uow()`` it opens shares it."""

        def in_transaction(conn: Connection) -> T:
            @contextmanager
            def unit_of_work(**_: object) -> Iterator[UnitOfWork]:
                self.opened.append(UnitOfWork(conn, self._feed))
                yield self.opened[-1]

            return work(unit_of_work)

        return await self._conn.run_sync(in_transaction)


def async_unit_of_work(
    engine: AsyncEngine, *, feed: NotificationFeed | None = None, default_statement_timeout_ms: int | None = None
) -> AsyncUnitOfWork:
    """Returns ``run``: ``await run(work)`` calls ``work(uow)`` in one transaction on the event loop.

    ``work`` is ordinary synchronous use-case code (``with uow() as u: ...``);
    every ``uow()`` it opens shares the one transaction, committed when ``work``
    returns and rolled back if it raises. Cancelling the await rolls back.
    ``autocommit=True`` runs each statement on its own, with no BEGIN and COMMIT
    (two round trips fewer): for work that is a single statement, or reads that
    need no common snapshot. ``statement_timeout_ms`` different from the pool's
    ``default_statement_timeout_ms`` (set on its connections when they open) costs
    a transaction with ``SET LOCAL``. ``run.transaction()`` gives ``Steps`` for
    several pieces of work in one transaction. Connections are not pinged before
    use (a round trip per unit of work saved on the hot path): a connection found
    dead invalidates the pool and ``run`` tries its work once more on a fresh
    one, so a restarted database is recovered from by itself.

    Raises:
        TimedOut: PostgreSQL cancelled a statement at its time limit.
        DependencyUnavailable: the database is unreachable (``database_unavailable``) or no pooled
            connection came free in time (``platform_busy``).
    """

    @asynccontextmanager
    async def connection(*, statement_timeout_ms: int | None = None, autocommit: bool = False) -> AsyncIterator[Steps]:
        own_timeout = statement_timeout_ms not in (None, default_statement_timeout_ms)
        try:
            if autocommit and not own_timeout:
                async with engine.connect() as conn:
                    conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                    steps = Steps(conn, feed)
                    yield steps
            else:
                async with engine.begin() as conn:
                    if own_timeout:
                        await conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(statement_timeout_ms or 0)}")
                    steps = Steps(conn, feed)
                    yield steps
        except PoolTimeout:
            raise DependencyUnavailable(
                "database",
                "every database connection is busy; try again in a second",
                code="platform_busy",
                retry_after=1,
            ) from None
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == "57014" or isinstance(exc.orig, QueryCanceled):
                raise TimedOut("the database stopped the work at its time limit") from None
            if isinstance(exc, (OperationalError, InterfaceError)) or exc.connection_invalidated:
                raise DependencyUnavailable(
                    "database", "the database is unavailable; try again shortly", code="database_unavailable"
                ) from exc
            raise
        for work_done in steps.opened:
            for action in work_done.after_commit:
                action()

    def transaction(*, statement_timeout_ms: int | None = None) -> AbstractAsyncContextManager[Steps]:
        return connection(statement_timeout_ms=statement_timeout_ms)

    async def run(
        work: Callable[[UnitOfWorkFactory], T], *, statement_timeout_ms: int | None = None, autocommit: bool = False
    ) -> T:
        for attempt in (1, 2):
            try:
                async with connection(statement_timeout_ms=statement_timeout_ms, autocommit=autocommit) as steps:
                    return await steps.run(work)
            except DependencyUnavailable as exc:
                invalidated = isinstance(exc.__cause__, DBAPIError) and exc.__cause__.connection_invalidated
                if attempt == 2 or not invalidated:
                    raise
        raise AssertionError("unreachable")

    run.transaction = transaction  # type: ignore[attr-defined]
    return run  # type: ignore[return-value]
