"""A database restart is recovered from by the hot path's pool without the person seeing it.

Connections pooled before the restart are dead; the first unit of work that
meets one must replace it and go on, whether it is a single piece of work
(``run``) or a transaction of several (``run.transaction()``, which opens
every question the assistant is asked).
"""

from __future__ import annotations

import asyncio
import socket
import uuid

import psycopg
import pytest
from sqlalchemy.exc import InterfaceError
from sqlalchemy.ext.asyncio import create_async_engine

from app.adapters.unit_of_work import async_unit_of_work
from app.domain.errors import DependencyUnavailable
from tests.app.async_database import asyncpg_url

NAME = "uow-recovery-test"
COMPANY = uuid.UUID("00000000-0000-4000-8000-000000000001")


def _one(uow) -> int:
    with uow() as u:
        return int(u.conn.exec_driver_sql("SELECT 1").scalar_one())


def _cut_every_pooled_connection(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        cut = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s", (NAME,)
        ).fetchone()
    assert cut is not None and cut[0] == 2, f"expected to cut the 2 pooled connections, cut {cut}"


def _company(uow) -> str:
    """The company the transaction chose when it opened, as the database's policies read it."""
    with uow() as u:
        return str(u.conn.exec_driver_sql("SELECT current_setting('app.company')").scalar_one())


@pytest.mark.parametrize("way", ["run", "transaction", "transaction for a company"])
def test_pooled_connections_cut_by_the_database_are_replaced_unseen(stack, way):
    database_url = stack.env["DATABASE_URL"]

    async def scenario() -> int:
        engine = create_async_engine(
            asyncpg_url(database_url),
            pool_size=2,
            max_overflow=0,
            connect_args={"server_settings": {"application_name": NAME}},
        )
        aio = async_unit_of_work(engine)
        try:
            async with aio.transaction() as first, aio.transaction() as second:  # two connections in the pool
                await first.run(_one)
                await second.run(_one)
            await asyncio.to_thread(_cut_every_pooled_connection, database_url)
            if way == "run":
                return await aio(_one)
            if way == "transaction for a company":  # the company's choice is the transaction's first statement
                async with aio.transaction(company=COMPANY) as steps:
                    assert await steps.run(_company) == str(COMPANY)
                    return await steps.run(_one)
            async with aio.transaction() as steps:
                return await steps.run(_one)
        finally:
            await engine.dispose()

    assert asyncio.run(scenario()) == 1


def test_a_connection_the_driver_finds_closed_during_the_work_is_the_database_unavailable(stack):
    """asyncpg says a connection it finds closed with an interface error, not an operational one: the person
    is told the database is unavailable (503, to try again), never a server failure."""

    def found_closed(uow) -> int:
        raise InterfaceError("SELECT 1", {}, Exception("connection is closed"))

    async def scenario() -> DependencyUnavailable:
        engine = create_async_engine(asyncpg_url(stack.env["DATABASE_URL"]), pool_size=1, max_overflow=0)
        try:
            with pytest.raises(DependencyUnavailable) as refused:
                await async_unit_of_work(engine)(found_closed)
            return refused.value
        finally:
            await engine.dispose()

    assert asyncio.run(scenario()).code == "database_unavailable"


@pytest.mark.parametrize("autocommit", [False, True], ids=["in a transaction", "a statement on its own"])
def test_a_database_that_refuses_connections_is_unavailable_not_a_server_failure(autocommit):
    """asyncpg fails a refused connect with the socket's own error, unwrapped: the person is told the database
    is unavailable (503, to try again), and an error of the work itself is left as it is."""
    with socket.socket() as bound:  # a port nobody listens on once it is closed
        bound.bind(("127.0.0.1", 0))
        port = bound.getsockname()[1]

    async def scenario() -> DependencyUnavailable:
        engine = create_async_engine(f"postgresql+asyncpg://nobody@127.0.0.1:{port}/none", pool_size=1)
        try:
            with pytest.raises(DependencyUnavailable) as refused:
                await async_unit_of_work(engine)(_one, autocommit=autocommit)
            return refused.value
        finally:
            await engine.dispose()

    unavailable = asyncio.run(scenario())
    assert unavailable.code == "database_unavailable"
    assert isinstance(unavailable.__cause__, OSError)


def test_an_os_error_of_the_work_itself_is_not_taken_for_the_database(stack):
    def times_out(uow) -> int:
        raise TimeoutError("the work's own wait")

    async def scenario() -> None:
        engine = create_async_engine(asyncpg_url(stack.env["DATABASE_URL"]), pool_size=1, max_overflow=0)
        try:
            with pytest.raises(TimeoutError, match="the work's own wait"):
                await async_unit_of_work(engine)(times_out, autocommit=True)
        finally:
            await engine.dispose()

    asyncio.run(scenario())
