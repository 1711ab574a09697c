"""A database of its own on the stack's PostgreSQL, for a test whose rows must not meet the stack's instances'
(their mail senders, their forgetting) nor other tests': made with the platform's tables, dropped after."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy import Engine, Table

from app.adapters.tables import metadata
from support.clients.database_engine import engine


@contextmanager
def empty_database(database_url: str, prefix: str) -> Iterator[str]:
    """The URL of a new database with nothing in it on the PostgreSQL of ``database_url``, dropped after."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as owner:
        owner.execute(f"CREATE DATABASE {name}")
    try:
        yield database_url.replace("/platform?", f"/{name}?", 1)
    finally:
        with psycopg.connect(database_url, autocommit=True) as owner:
            owner.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def database_of_its_own(database_url: str, prefix: str, tables: list[Table] | None = None) -> Iterator[Engine]:
    """An engine on a new database holding ``tables`` (every table of the platform when None), dropped after."""
    with empty_database(database_url, prefix) as url:
        made = engine(url)
        try:
            metadata.create_all(made, tables=tables)
            yield made
        finally:
            made.dispose()
