"""The tables the platform's queries are written against (app/adapters/tables.py) are the ones its migrations
make: every table, column, type and length, nullability, key and index, as Alembic compares them, and each
table's columns in the order the database holds them (a backup lists a row's values in that order)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pydantic import PostgresDsn, TypeAdapter
from sqlalchemy import create_engine, inspect

from app.adapters.tables import metadata
from app.config import Settings


def test_the_migrated_database_and_the_declared_tables_do_not_differ(stack):
    dsn = TypeAdapter(PostgresDsn).validate_python(stack.env["DATABASE_URL"])
    engine = create_engine(Settings.model_construct(database_url=dsn).sqlalchemy_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection, opts={"compare_type": True}), metadata
            )
            held = inspect(connection)
            orders = {
                name: ([c.name for c in table.columns], [c["name"] for c in held.get_columns(name)])
                for name, table in metadata.tables.items()
            }
    finally:
        engine.dispose()
    assert differences == [], "what the migrations made and app/adapters/tables.py declares differently"
    assert {name: pair for name, pair in orders.items() if pair[0] != pair[1]} == {}, (
        "tables whose columns are declared in another order than the database holds them (declared, held)"
    )
