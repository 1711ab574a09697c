"""The tables the platform's queries are written against (app/adapters/tables.py) are the ones its migrations
make: every table, column, type and length, nullability, key and index, as Alembic compares them, and each
table's columns in the order the database holds them (a backup lists a row's values in that order)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pydantic import PostgresDsn, TypeAdapter
from sqlalchemy import Connection, UniqueConstraint, create_engine, inspect

from app.adapters.tables import metadata
from app.config import Settings


@pytest.fixture
def migrated(stack) -> Iterator[Connection]:
    """A connection to the stack's database, as its migrations made it, as the platform connects."""
    dsn = TypeAdapter(PostgresDsn).validate_python(stack.env["DATABASE_URL"])
    engine = create_engine(Settings.model_construct(database_url=dsn).sqlalchemy_url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def test_the_migrated_database_and_the_declared_tables_do_not_differ(migrated):
    differences = compare_metadata(MigrationContext.configure(migrated, opts={"compare_type": True}), metadata)
    held = inspect(migrated)
    orders = {
        name: ([c.name for c in table.columns], [c["name"] for c in held.get_columns(name)])
        for name, table in metadata.tables.items()
    }
    assert differences == [], "what the migrations made and app/adapters/tables.py declares differently"
    assert {name: pair for name, pair in orders.items() if pair[0] != pair[1]} == {}, (
        "tables whose columns are declared in another order than the database holds them (declared, held)"
    )


def test_each_declared_unique_rule_has_the_name_and_columns_the_database_gives_it(migrated):
    """Alembic matches a unique constraint declared without its name by its columns alone, so a name dropped or
    changed in app/adapters/tables.py passed the comparison above; a migration that drops or alters it by the
    declared name would then miss the database's. A rule declared without a name (a column's ``unique=True``) has
    the name PostgreSQL gives it."""
    held = inspect(migrated)
    in_database = {
        (name, unique["name"], tuple(unique["column_names"]))
        for name in metadata.tables
        for unique in held.get_unique_constraints(name)
    }
    declared = {
        (name, constraint.name or _named_by_postgresql(name, columns), columns)
        for name, table in metadata.tables.items()
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
        for columns in [tuple(column.name for column in constraint.columns)]
    }
    assert declared, "the tables declare unique rules"
    assert declared - in_database == set(), "unique rules declared (table, name, columns) the database does not hold"


def _named_by_postgresql(table: str, columns: tuple[str, ...]) -> str:
    """The name PostgreSQL gives a unique rule declared without one (a column's ``unique=True``)."""
    return f"{table}_{'_'.join(columns)}_key"
