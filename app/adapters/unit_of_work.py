"""One database transaction per use case, with the repositories bound to it.

Two ways in, one set of repositories: ``sql_unit_of_work`` for blocking callers
(the HTTP routes that write, run in worker threads) and ``async_unit_of_work``
for the event loop (the assistant's hot path, every HTTP request's session
check and the routes that only read), which runs the same synchronous
repository code inside SQLAlchemy's asyncio engine (greenlets over an asyncpg
connection, the engine made in ``app.bootstrap``): no thread hop per database call.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import (
    AbstractAsyncContextManager,
    AbstractContextManager,
    AsyncExitStack,
    asynccontextmanager,
    contextmanager,
)
from datetime import datetime
from typing import Protocol, TypeVar

from psycopg.errors import QueryCanceled
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.adapters.approvals_repository import ApprovalsRepository
from app.adapters.assistant_repository import AssistantRepository
from app.adapters.audit_repository import AuditRepository
from app.adapters.billing_repository import BillingRepository
from app.adapters.event_stream import NotificationFeed
from app.adapters.idempotency_store import IdempotencyStore
from app.adapters.metrics import COUNTERS
from app.adapters.notifications_repository import NotificationsRepository
from app.adapters.outbox import OutboxRepository
from app.adapters.reports_repository import ReportsRepository
from app.adapters.sales_repository import SalesRepository
from app.adapters.settings_repository import SettingsRepository
from app.adapters.tenancy_repository import CompaniesDirectory, PeopleRepository, SignedInPerson, signed_in_as
from app.adapters.wake import Wake, Wakes
from app.domain import clock
from app.domain.errors import DependencyUnavailable, TimedOut
from app.domain.records import NotificationRecord

# What the database being away (or every connection busy) raises: work waits and is tried again
DATABASE_AWAY = (OperationalError, InterfaceError, PoolTimeout)

T = TypeVar("T")
log = logging.getLogger("app.database")
# deadlock_detected, serialization_failure, lock_not_available
CLASHED_WITH_OTHER_WORK = frozenset({"40P01", "40001", "55P03"})


SET_COMPANY = text("SELECT set_config('app.company', :company, :local)")
CHOSEN_COMPANY = "app.company chosen"  # key in a connection's info: (the transaction, the company) last set


class CompanyNotChosen(RuntimeError):
    """A company's records were asked of a unit of work opened for no company."""


class UnitOfWork:
    """Repositories sharing one connection inside one transaction, bound to one company.

    Opened with ``company=`` (the caller's company), every repository it holds
    reads and writes that company's records only: no query can be written
    without it. Opened for no company, it holds only the directory of
    companies (sign-in and registration look a company up there, then
    ``enter`` it); asking it for a company's records is an error.
    """

    approvals: ApprovalsRepository
    assistant: AssistantRepository
    audit: AuditRepository
    billing: BillingRepository
    idempotency: IdempotencyStore
    notifications: NotificationsRepository
    outbox: OutboxRepository
    people: PeopleRepository
    reports: ReportsRepository
    sales: SalesRepository
    settings: SettingsRepository

    def __init__(
        self,
        conn: Connection,
        feed: NotificationFeed | None = None,
        wakes: Wakes | None = None,
        *,
        company: uuid.UUID | None = None,
    ) -> None:
        self.conn = conn
        self._feed = feed
        self.after_commit: list[Callable[[], None]] = []  # e.g. live pushes: only once the data is durable
        self.to_wake: set[Wake] = set()  # this instance's loops with work once the transaction commits
        # what a repository calls when it has written work for the ingester or the mail sender
        self._events_recorded = self._woken_after_commit(wakes.analytics if wakes else None)
        self._mail_queued = self._woken_after_commit(wakes.mail if wakes else None)
        self.companies = CompaniesDirectory(conn, recopy_asked=self._events_recorded)
        self.company: uuid.UUID | None = None
        if company is not None:
            self.enter(company)

    def enter(self, company: uuid.UUID) -> None:
        """Binds the repositories to ``company``; a unit of work serves one company only."""
        if self.company is not None and self.company != company:
            raise CompanyNotChosen("this unit of work is already bound to another company")
        if self.company is None:  # the database's own guard: its policies show this company's rows only
            _choose_company(self.conn, company)
            clock.working_for(company)
        self.company = company
        conn = self.conn
        self.people = PeopleRepository(conn, company)
        self.sales = SalesRepository(conn, company)
        self.billing = BillingRepository(conn, company)
        self.audit = AuditRepository(conn, company, appended=self._events_recorded)
        self.idempotency = IdempotencyStore(conn, company)
        self.reports = ReportsRepository(conn, company)
        self.assistant = AssistantRepository(conn, company, used=self._events_recorded)
        self.settings = SettingsRepository(conn, company)
        self.approvals = ApprovalsRepository(conn, company)
        self.notifications = NotificationsRepository(conn, company)
        self.outbox = OutboxRepository(conn, company, queued=self._mail_queued)

    def _woken_after_commit(self, wake: Wake | None) -> Callable[[], None] | None:
        """What a repository calls when it has written work for ``wake``'s loop: the loop is woken once the
        transaction commits (before, it would look and not see it)."""
        return None if wake is None else lambda: self.to_wake.add(wake)

    def enter_signed_in(
        self,
        company: uuid.UUID,
        user_id: uuid.UUID,
        token_id: str,
        *,
        hold: bool = False,
        issued: datetime | None = None,
    ) -> SignedInPerson | None:
        """``enter(company)``, the company chosen by the statement that reads the person ``user_id`` (None when
        not there) and whether the session ``token_id`` was signed out (or ``issued`` before the company was
        restored): a caller's check and the choice of their company in one round trip. ``hold`` locks the
        person's row (FOR SHARE) until the transaction ends."""
        if self.company is not None and self.company != company:
            raise CompanyNotChosen("this unit of work is already bound to another company")
        local = _for_the_transaction(self.conn)
        found = signed_in_as(self.conn, company, user_id, token_id, local=local, hold=hold, issued=issued)
        _remember_chosen(self.conn, company)
        self.enter(company)  # chosen already: no statement
        return found

    def __getattr__(self, name: str) -> object:  # only reached for a repository not bound yet
        raise CompanyNotChosen(f"open the unit of work for a company before reading its {name}")

    def notify(
        self, user_id: uuid.UUID, *, kind: str, text: str, subject_type: str, subject_id: object
    ) -> NotificationRecord:
        """Stores a notification now; pushes it to the user's open sockets once the transaction commits."""
        row = self.notifications.add(
            user_id, kind=kind, text=text[:500], subject_type=subject_type, subject_id=str(subject_id)
        )
        feed, company = self._feed, self.company
        if feed is not None:
            self.after_commit.append(lambda: feed.publish(company, row))
        return row

    def sessions_changed(self, user_id: uuid.UUID | None) -> None:
        """Once the transaction commits, tells every instance that this person's sessions changed (None:
        everyone of the company): their open sockets check their session at once."""
        feed, company = self._feed, self.company
        if feed is not None:
            self.after_commit.append(lambda: feed.session_changed(company, user_id))


def _choose_company(conn: Connection, company: uuid.UUID) -> None:
    """Tells the database whose rows this connection's work may see, unless it was told already in this
    transaction (several units of work share one: a question's checks and writes, a look-up's); the setting
    lasts until the transaction ends, or, outside one, for the connection's checkout."""
    if conn.info.get(CHOSEN_COMPANY) == (conn.get_transaction(), company):  # never so before a first statement
        return
    conn.execute(SET_COMPANY, {"company": str(company), "local": _for_the_transaction(conn)})
    _remember_chosen(conn, company)


def _for_the_transaction(conn: Connection) -> bool:
    """Whether a choice of company made now lasts for the transaction (else for the connection's checkout:
    each statement commits on its own)."""
    return conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT"


def _remember_chosen(conn: Connection, company: uuid.UUID) -> None:
    conn.info[CHOSEN_COMPANY] = (conn.get_transaction(), company)


UnitOfWorkFactory = Callable[..., AbstractContextManager[UnitOfWork]]


def sql_unit_of_work(
    engine: Engine, *, feed: NotificationFeed | None = None, wakes: Wakes | None = None
) -> UnitOfWorkFactory:
    """Returns a factory: ``with uow() as u:`` commits on success, rolls back on any error."""

    @contextmanager
    def unit_of_work(
        *, company: uuid.UUID | None = None, statement_timeout_ms: int | None = None, snapshot: bool = False
    ) -> Iterator[UnitOfWork]:
        """``company`` binds the repositories to one company; ``statement_timeout_ms`` makes PostgreSQL
        cancel any statement that runs (or waits) longer; ``snapshot``: every statement reads the database as
        it was at the first one (REPEATABLE READ), and nothing is written (READ ONLY): for a read of many
        tables that must agree with each other, while others write."""
        with engine.begin() as conn:
            if snapshot:
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            if statement_timeout_ms is not None:
                conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(statement_timeout_ms)}")
            work = UnitOfWork(conn, feed, wakes, company=company)
            yield work
        _wake(work.to_wake)
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

    def transaction(
        self, *, statement_timeout_ms: int | None = None, company: uuid.UUID | None = None
    ) -> AbstractAsyncContextManager[Steps]: ...


class Steps:
    """Several pieces of use-case code in one transaction, with awaits of other things between them."""

    def __init__(self, conn: AsyncConnection, feed: NotificationFeed | None, wakes: Wakes | None = None) -> None:
        self._conn = conn
        self._feed = feed
        self._wakes = wakes
        self.opened: list[UnitOfWork] = []

    async def run(self, work: Callable[[UnitOfWorkFactory], T]) -> T:
        """``work(uow)`` inside the transaction; every ``uow()`` it opens shares it."""

        def in_transaction(conn: Connection) -> T:
            @contextmanager
            def unit_of_work(*, company: uuid.UUID | None = None, **_: object) -> Iterator[UnitOfWork]:
                self.opened.append(UnitOfWork(conn, self._feed, self._wakes, company=company))
                yield self.opened[-1]

            return work(unit_of_work)

        return await self._conn.run_sync(in_transaction)


@asynccontextmanager
async def _reached(opening: AbstractAsyncContextManager[AsyncConnection]) -> AsyncIterator[AsyncConnection]:
    """The connection ``opening`` gives. A database that cannot be reached (refused, or silent past the connect
    time-out) fails the connect with the socket's own error, which the driver does not wrap: it is the
    database being unavailable, like any other error of the driver's."""
    async with AsyncExitStack() as opened:
        try:
            conn = await opened.enter_async_context(opening)
        except OSError as exc:
            raise DependencyUnavailable(
                "database", "the database is unavailable; try again shortly", code="database_unavailable"
            ) from exc
        yield conn


def clashed_with_other_work(exc: DBAPIError) -> bool:
    """PostgreSQL undid the work because it clashed with other work at the same moment (a deadlock, a
    serialisation failure, a lock not free in time): nothing of it was kept, and sent again it will pass."""
    return getattr(exc.orig, "sqlstate", None) in CLASHED_WITH_OTHER_WORK


def work_clashed() -> DependencyUnavailable:
    return DependencyUnavailable(
        "database",
        "the work clashed with other work at the same moment and nothing of it was kept; try again in a second",
        code="platform_busy",
        retry_after=1,
    )


def _wake(wakes: set[Wake]) -> None:
    for wake in wakes:
        wake.ring()


def _each(actions: list[Callable[[], None]]) -> None:
    for action in actions:
        action()


def _found_dead(exc: DependencyUnavailable) -> bool:
    """The database was unavailable because a pooled connection had died: the pool is renewed, try again."""
    return isinstance(exc.__cause__, DBAPIError) and exc.__cause__.connection_invalidated


def async_unit_of_work(
    engine: AsyncEngine,
    *,
    feed: NotificationFeed | None = None,
    wakes: Wakes | None = None,
    default_statement_timeout_ms: int | None = None,
    pool: str = "asyncio",
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
    one, so a restarted database is recovered from by itself. ``pool`` names the engine's pool in the figures
    (``/metrics``) of the requests turned away when none of its connections came free.

    Raises:
        TimedOut: PostgreSQL cancelled a statement at its time limit.
        DependencyUnavailable: the database is unreachable (``database_unavailable``) or no pooled
            connection came free in time (``platform_busy``).
    """

    @asynccontextmanager
    async def connection(
        *,
        statement_timeout_ms: int | None = None,
        autocommit: bool = False,
        probe: bool = False,
        company: uuid.UUID | None = None,
    ) -> AsyncIterator[Steps]:
        """``probe`` sends a first statement before the caller's work, so that a dead pooled connection
        is found while nothing has been done on it: ``company`` chosen, when the work is for one (a statement
        it needs anyway), else ``SELECT 1``."""
        own_timeout = statement_timeout_ms not in (None, default_statement_timeout_ms)
        try:
            if autocommit and not own_timeout:
                async with _reached(engine.connect()) as conn:
                    conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                    steps = Steps(conn, feed, wakes)
                    yield steps
            else:
                async with _reached(engine.begin()) as conn:
                    if own_timeout:
                        await conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(statement_timeout_ms or 0)}")
                    elif probe and company is not None:
                        await conn.run_sync(_choose_company, company)
                    elif probe:
                        await conn.exec_driver_sql("SELECT 1")
                    steps = Steps(conn, feed, wakes)
                    yield steps
        except PoolTimeout as exc:
            log.warning("no free database connection: %s", exc)
            COUNTERS.add("platform_db_pool_timeouts_total", pool=pool)
            raise DependencyUnavailable(
                "database",
                "every database connection is busy; try again in a second",
                code="platform_busy",
                retry_after=1,
            ) from None
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == "57014" or isinstance(exc.orig, QueryCanceled):
                raise TimedOut("the database stopped the work at its time limit") from None
            if clashed_with_other_work(exc):  # asyncpg's are none of SQLAlchemy's kinds: a server failure else
                raise work_clashed() from exc
            if isinstance(exc, (OperationalError, InterfaceError)) or exc.connection_invalidated:
                raise DependencyUnavailable(
                    "database", "the database is unavailable; try again shortly", code="database_unavailable"
                ) from exc
            raise
        _wake({wake for work_done in steps.opened for wake in work_done.to_wake})  # never waits: on the loop
        actions = [action for work_done in steps.opened for action in work_done.after_commit]
        if actions:  # a live push or a notice to the other instances is a blocking Redis call: never on the loop
            await asyncio.to_thread(_each, actions)

    @asynccontextmanager
    async def transaction(
        *, statement_timeout_ms: int | None = None, company: uuid.UUID | None = None
    ) -> AsyncIterator[Steps]:
        """A connection found dead when the transaction opens (the database restarted since it was pooled)
        is replaced once, before any of the caller's work has run on it. ``company``: the one the work is
        for, chosen as the transaction opens (the units of work it opens for that company need not)."""
        async with AsyncExitStack() as opened:

            def opening() -> AbstractAsyncContextManager[Steps]:
                return connection(statement_timeout_ms=statement_timeout_ms, probe=True, company=company)

            try:
                steps = await opened.enter_async_context(opening())
            except DependencyUnavailable as exc:
                if not _found_dead(exc):
                    raise
                steps = await opened.enter_async_context(opening())  # once more, on a new connection
            yield steps

    async def run(
        work: Callable[[UnitOfWorkFactory], T], *, statement_timeout_ms: int | None = None, autocommit: bool = False
    ) -> T:
        async def once() -> T:
            async with connection(statement_timeout_ms=statement_timeout_ms, autocommit=autocommit) as steps:
                return await steps.run(work)

        try:
            return await once()
        except DependencyUnavailable as exc:
            if not _found_dead(exc):
                raise
        return await once()  # the connection was found dead: once more, on a new one

    run.transaction = transaction  # type: ignore[attr-defined]
    return run  # type: ignore[return-value]
