"""Every connection the platform opens works as the role the companies' row-level security holds
(``platform_app``, migration 0011), on each of its engines: the worker threads', the event loop's and the
payments'. A connection as the database's owner would pass the policies by, every company's rows one forgotten
filter away. The event loop's connections stop a statement at its time limit; the payments' set none (a payment
waits for the invoice another one holds while its charge is with the processor)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.bootstrap import COMPANY_ROLE
from tests.app.unstarted_platform import unstarted_platform


def test_every_engine_of_the_platform_works_as_the_role_the_policies_hold(stack):
    platform = unstarted_platform(stack)

    async def role_and_limit(engine: AsyncEngine) -> tuple[str, str]:
        async with engine.connect() as conn:
            found = (await conn.execute(text("SELECT current_user, current_setting('statement_timeout')"))).one()
            return str(found[0]), str(found[1])

    async def both() -> list[tuple[str, str]]:
        try:
            return [await role_and_limit(platform.async_engine), await role_and_limit(platform.payments_engine)]
        finally:
            await platform.async_engine.dispose()
            await platform.payments_engine.dispose()

    try:
        with platform.engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar_one() == COMPANY_ROLE, "the worker threads' engine"
        assert asyncio.run(both()) == [(COMPANY_ROLE, "5s"), (COMPANY_ROLE, "0")], (
            "the loop's and the payments' engines"
        )
        assert platform.payments_engine.pool is not platform.async_engine.pool, "the payments' pool is their own"
    finally:
        platform.close()
