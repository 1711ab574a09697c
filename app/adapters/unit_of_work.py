"""One database transaction per use case, with the repositories bound to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy import Connection, Engine

from app.adapters.audit_repository import AuditRepository
from app.adapters.billing_repository import BillingRepository
from app.adapters.idempotency_store import IdempotencyStore
from app.adapters.sales_repository import SalesRepository
from app.adapters.tenancy_repository import TenancyRepository


class UnitOfWork:
    """Repositories sharing one connection inside one transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.tenancy = TenancyRepository(conn)
        self.sales = SalesRepository(conn)
        self.billing = BillingRepository(conn)
        self.audit = AuditRepository(conn)
        self.idempotency = IdempotencyStore(conn)


UnitOfWorkFactory = Callable[[], AbstractContextManager[UnitOfWork]]


def sql_unit_of_work(engine: Engine) -> UnitOfWorkFactory:
    """Returns a factory: ``with uow() as u:`` commits on success, rolls back on any error."""

    @contextmanager
    def unit_of_work() -> Iterator[UnitOfWork]:
        with engine.begin() as conn:
            yield UnitOfWork(conn)

    return unit_of_work
