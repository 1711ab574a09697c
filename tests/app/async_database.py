"""The embedded stack's database as the platform's asyncio pool reaches it, for the tests of that pool."""

from __future__ import annotations

from pydantic import PostgresDsn, TypeAdapter

from app.config import Settings


def asyncpg_url(database_url: str) -> str:
    """The stack's URL (a primary and its standby's seat) as SQLAlchemy's asyncpg dialect takes it, as the
    platform makes it."""
    dsn = TypeAdapter(PostgresDsn).validate_python(database_url)
    return Settings.model_construct(database_url=dsn).sqlalchemy_url.replace("+psycopg", "+asyncpg", 1)
