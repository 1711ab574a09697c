"""The stack's database is copied from a migrated folder kept while the schema is unchanged."""

from __future__ import annotations

import shutil

import psycopg
from alembic.config import Config
from alembic.script import ScriptDirectory

from app.adapters.migrate import MIGRATIONS
from support.stack import postgres_template


def test_a_stack_starts_from_a_database_at_the_newest_schema(stack):
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    with psycopg.connect(stack.env["DATABASE_URL"]) as conn:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert row == (head,)


def test_a_changed_migration_makes_another_folder(tmp_path, monkeypatch):
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copy)
    monkeypatch.setattr(postgres_template, "MIGRATIONS", copy)
    before = postgres_template.fingerprint()
    newest = sorted((copy / "versions").glob("*.py"))[-1]
    newest.write_text(newest.read_text() + "\n# changed\n")
    assert postgres_template.fingerprint() != before


def test_a_change_to_what_runs_the_migrations_makes_another_folder(tmp_path, monkeypatch):
    """A slip in the code that runs the migrations must meet a database made by it, not a folder made before."""
    copy = tmp_path / "migrate.py"
    copy.write_text(postgres_template.MIGRATOR.read_text())
    monkeypatch.setattr(postgres_template, "MIGRATOR", copy)
    before = postgres_template.fingerprint()
    copy.write_text(
        copy.read_text().replace('"script_location", str(MIGRATIONS)', 'str(MIGRATIONS), "script_location"')
    )
    assert postgres_template.fingerprint() != before
