"""The operators' migration command: ``python -m app.adapters.migrate`` brings the database DATABASE_URL names
to the newest schema, and gives alembic the URL as it is (a percent in it kept, not read as interpolation)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import psycopg
from alembic.config import Config
from alembic.script import ScriptDirectory

from app.adapters import migrate
from support.report.layout import REPO_ROOT
from tests.app.database_of_its_own import empty_database


def test_alembic_is_given_the_migrations_and_the_url_as_they_are(monkeypatch):
    given: list[tuple[Any, str]] = []
    monkeypatch.setattr(migrate.command, "upgrade", lambda config, revision: given.append((config, revision)))
    migrate.upgrade_to_head("postgresql://sam:p%40ss%25@db.example:5432/platform")
    [(config, revision)] = given
    assert (config.get_main_option("script_location"), config.get_main_option("sqlalchemy.url"), revision) == (
        str(migrate.MIGRATIONS),
        "postgresql://sam:p%40ss%25@db.example:5432/platform",
        "head",
    )


def test_the_command_brings_an_empty_database_to_the_newest_schema(stack):
    with empty_database(stack.env["DATABASE_URL"], "migrated") as empty:
        subprocess.run(
            [sys.executable, "-m", "app.adapters.migrate"],
            env={**os.environ, "DATABASE_URL": empty},
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
            timeout=120,
        )
        with psycopg.connect(empty) as conn:
            version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS))
    assert version == (ScriptDirectory.from_config(config).get_current_head(),)
