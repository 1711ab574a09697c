"""Every connection the platform opens works as the role the companies' row-level security holds
(``platform_app``, migration 0011), on each of its engines: the worker threads', the event loop's and the
payments'. A connection as the database's owner would pass the policies by, every company's rows one forgotten
filter away. The event loop's connections stop a statement at its time limit; the payments' set none (a payment
waits for the invoice another one holds while its charge is with the processor). Every one reads moments in UTC,
whatever zone the server was given (the test stack's is fourteen hours ahead)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.bootstrap import COMPANY_ROLE
from support.stack.postgres_server import FAR_TIME_ZONE
from tests.app.unstarted_platform import unstarted_platform


def test_every_engine_of_the_platform_works_as_the_role_the_policies_hold(stack, database):
    platform = unstarted_platform(stack)

    async def role_and_limit(engine: AsyncEngine) -> tuple[str, str, str]:
        async with engine.connect() as conn:
            asked = "SELECT current_user, current_setting('statement_timeout'), current_setting('TimeZone')"
            found = (await conn.execute(text(asked))).one()
            return str(found[0]), str(found[1]), str(found[2])

    async def both() -> list[tuple[str, str, str]]:
        try:
            return [await role_and_limit(platform.async_engine), await role_and_limit(platform.payments_engine)]
        finally:
            await platform.async_engine.dispose()
            await platform.payments_engine.dispose()

    try:
        with platform.engine.connect() as conn:
            found = conn.execute(text("SELECT current_user, current_setting('TimeZone')")).one()
            assert tuple(found) == (COMPANY_ROLE, "UTC"), "the worker threads' engine"
        assert asyncio.run(both()) == [(COMPANY_ROLE, "5s", "UTC"), (COMPANY_ROLE, "0", "UTC")], (
            "the loop's and the payments' engines"
        )
        with database.connect() as conn:  # the server's own zone, which the platform's connections do not keep
            assert conn.execute(text("SELECT current_setting('TimeZone')")).scalar_one() == FAR_TIME_ZONE
        assert platform.payments_engine.pool is not platform.async_engine.pool, "the payments' pool is their own"
    finally:
        platform.close()


def test_no_engine_of_the_platform_writes_a_statements_values_into_its_errors(stack):
    """A refused write is logged with its error: its values (a person's password hash, a card's token) are not
    in it. Found by the check that no log shows a secret, with one address added ten times at once."""
    platform = unstarted_platform(stack)
    try:
        engines = {
            "worker threads'": platform.engine,
            "event loop's": platform.async_engine.sync_engine,
            "payments'": platform.payments_engine.sync_engine,
        }
        assert {name: engine.hide_parameters for name, engine in engines.items()} == dict.fromkeys(engines, True)
    finally:
        asyncio.run(platform.async_engine.dispose())
        asyncio.run(platform.payments_engine.dispose())
        platform.close()
