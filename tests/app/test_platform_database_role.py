"""Every connection the platform opens works as the role the companies' row-level security holds
(``platform_app``, migration 0011), on both of its engines: the routes' and the assistant's. A connection
as the database's owner would pass the policies by, every company's rows one forgotten filter away."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from app.bootstrap import COMPANY_ROLE, bootstrap
from app.config import Settings

NOT_CALLED = "http://127.0.0.1:9"  # the platform is made, never started: nothing else is reached


def test_both_engines_of_the_platform_work_as_the_role_the_policies_hold(stack):
    platform = bootstrap(
        Settings(
            database_url=stack.env["DATABASE_URL"],
            redis_url=stack.env["REDIS_URL"],
            payment_processor_url=NOT_CALLED,
            model_url=NOT_CALLED,
            platform_admin_key=stack.env["PLATFORM_ADMIN_KEY"],
            token_secret=stack.env["TOKEN_SECRET"],
        )
    )

    async def async_role() -> str:
        async with platform.async_engine.connect() as conn:
            return str((await conn.execute(text("SELECT current_user"))).scalar_one())

    try:
        with platform.engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar_one() == COMPANY_ROLE, "the routes' engine"
        assert asyncio.run(async_role()) == COMPANY_ROLE, "the assistant's engine"
    finally:
        platform.close()
        asyncio.run(platform.async_engine.dispose())
