"""Alembic environment: the URL comes from the config (set by app.adapters.migrate) or DATABASE_URL."""

import os

from alembic import context
from sqlalchemy import create_engine

from app.adapters.tables import metadata


def _url() -> str:
    url = context.config.get_main_option("sqlalchemy.url") or os.environ["DATABASE_URL"]
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


engine = create_engine(_url())
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
