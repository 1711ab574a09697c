"""Alembic environment: the URL comes from the config (set by app.adapters.migrate) or DATABASE_URL, read as
the platform reads DATABASE_URL (several hosts included)."""

import os

from alembic import context
from pydantic import PostgresDsn, TypeAdapter
from sqlalchemy import create_engine

from app.adapters.tables import metadata
from app.config import as_sqlalchemy_url


def _url() -> str:
    return as_sqlalchemy_url(
        TypeAdapter(PostgresDsn).validate_python(
            context.config.get_main_option("sqlalchemy.url") or os.environ["DATABASE_URL"]
        )
    )


engine = create_engine(_url())
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
