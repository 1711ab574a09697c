"""Work PostgreSQL undid because it clashed with other work at the same moment (a deadlock, a serialisation
failure, a lock not free in time) is answered 503 `platform_busy`, to send again in a second: nothing of it was
kept. On the event loop's stack asyncpg's errors are none of SQLAlchemy's kinds, and such a clash was answered
as the platform's own failure (500); on the worker threads' it was told as the database being unavailable."""

from __future__ import annotations

import asyncio

import psycopg.errors
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import create_async_engine

from app.adapters.unit_of_work import async_unit_of_work
from app.domain.errors import DependencyUnavailable
from app.entrypoints.http.errors import install_error_handlers
from tests.app.api.test_unexpected_errors import _get
from tests.app.async_database import asyncpg_url

CLASHES = {"a deadlock": "40P01", "a serialisation failure": "40001", "a lock not free in time": "55P03"}


def _clashing(sqlstate: str):
    def work(uow) -> None:
        with uow() as u:
            u.conn.exec_driver_sql(f"DO $$ BEGIN RAISE EXCEPTION 'clashed' USING ERRCODE = '{sqlstate}'; END $$")

    return work


@pytest.mark.parametrize("clash", CLASHES)
def test_work_on_the_event_loop_undone_by_a_clash_is_told_to_try_again_in_a_second(stack, clash):
    async def scenario() -> DependencyUnavailable:
        engine = create_async_engine(asyncpg_url(stack.env["DATABASE_URL"]), pool_size=1, max_overflow=0)
        try:
            with pytest.raises(DependencyUnavailable) as told:
                await async_unit_of_work(engine)(_clashing(CLASHES[clash]))
            return told.value
        finally:
            await engine.dispose()

    told = asyncio.run(scenario())
    assert (told.code, told.retry_after) == ("platform_busy", 1)


@pytest.mark.parametrize("clash", CLASHES)
def test_work_in_a_worker_thread_undone_by_a_clash_is_answered_503_to_try_again_in_a_second(clash):
    app = FastAPI()
    install_error_handlers(app)
    error = {"40P01": psycopg.errors.DeadlockDetected, "40001": psycopg.errors.SerializationFailure}.get(
        CLASHES[clash], psycopg.errors.LockNotAvailable
    )

    @app.get("/clashed")
    def clashed() -> dict:
        raise OperationalError("UPDATE ...", {}, error("clashed"))

    status, body, headers = _get(app, "/clashed")
    assert (status, body["error"]["code"], headers.get("retry-after")) == (503, "platform_busy", "1")


def test_a_database_that_cannot_be_reached_from_a_worker_thread_is_answered_503_to_try_again_in_five_seconds():
    """The database away (not a clash): the caller is told so, and to come back in 5 s, not 1 (a survivor of the
    sample: no test ran this answer)."""
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/away")
    def away() -> dict:
        raise OperationalError("SELECT 1", {}, psycopg.OperationalError("connection refused"))

    status, body, headers = _get(app, "/away")
    assert (status, body["error"]["code"], headers.get("retry-after")) == (503, "database_unavailable", "5")


@pytest.mark.parametrize("autocommit", [False, True], ids=["in a transaction", "statement by statement"])
def test_work_given_a_time_limit_of_its_own_is_stopped_at_it_not_at_the_pools(stack, autocommit):
    """A look-up or a write of the assistant runs under its tool's time limit, shorter than the pool's: a statement
    past it is stopped there (the pool's limit here is a minute), and told as timed out."""
    from app.domain.errors import TimedOut

    def slow(uow) -> None:
        with uow() as u:
            u.conn.exec_driver_sql("SELECT pg_sleep(3)")

    async def scenario() -> float:
        engine = create_async_engine(asyncpg_url(stack.env["DATABASE_URL"]), pool_size=1, max_overflow=0)
        run = async_unit_of_work(engine, default_statement_timeout_ms=60_000)
        began = asyncio.get_running_loop().time()
        try:
            with pytest.raises(TimedOut):
                await run(slow, statement_timeout_ms=200, autocommit=autocommit)
            return asyncio.get_running_loop().time() - began
        finally:
            await engine.dispose()

    assert asyncio.run(scenario()) < 2.0, "stopped at its own limit of 0.2 s, not after the 3 s the statement takes"
