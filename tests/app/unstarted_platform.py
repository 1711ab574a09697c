"""A platform made on the test stack's database and Redis, never started: its other dependencies are never called."""

from __future__ import annotations

from typing import Any

from app.bootstrap import Platform, bootstrap
from app.config import Settings

NOT_CALLED = "http://127.0.0.1:9"  # the platform is made, never started: nothing else is reached


def unstarted_platform(stack: Any, **settings: Any) -> Platform:
    """The platform ``bootstrap`` makes for the stack, with ``settings`` given besides."""
    return bootstrap(
        Settings(
            database_url=stack.env["DATABASE_URL"],
            redis_url=stack.env["REDIS_URL"],
            payment_processor_url=NOT_CALLED,
            model_url=NOT_CALLED,
            platform_admin_key=stack.env["PLATFORM_ADMIN_KEY"],
            token_secret=stack.env["TOKEN_SECRET"],
            **settings,
        )
    )
