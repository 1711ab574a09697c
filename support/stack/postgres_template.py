"""A migrated PostgreSQL data folder, made once and copied for every stack while the schema is unchanged.

Making a database from nothing (``initdb``, ``CREATE DATABASE``, every
migration) costs about 1.2 s on a 2-core machine; copying a folder made
earlier costs about 0.1 s. The folder is kept under ``.cache/postgres/`` by a
fingerprint of everything that shapes it (the migrations, the code that runs
them and the server's version), so a new migration makes a new one by itself;
``make clean`` removes them. It is made in a folder of its own, stopped
cleanly, and moved into place whole, so a stack never copies a half-made one
and two stacks starting together at worst both make it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from support.stack.http_service import REPO_ROOT
from support.stack.postgres_server import EmbeddedPostgres, server_version

CACHE = REPO_ROOT / ".cache" / "postgres"
MIGRATIONS = REPO_ROOT / "app" / "adapters" / "migrations"
MIGRATOR = REPO_ROOT / "app" / "adapters" / "migrate.py"  # what runs them: a change to it must run them again


def fingerprint() -> str:
    digest = hashlib.sha256(server_version().encode())
    digest.update(MIGRATOR.read_bytes())
    for path in sorted(MIGRATIONS.rglob("*.py")):
        digest.update(path.relative_to(MIGRATIONS).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def migrated_data_folder() -> Path:
    """The data folder of a stopped server whose database is at the newest schema; made if missing."""
    kept = CACHE / fingerprint()
    if (kept / "PG_VERSION").exists():
        return kept
    CACHE.mkdir(parents=True, exist_ok=True)
    workshop = Path(tempfile.mkdtemp(prefix="spec-pg-template-"))
    workshop.chmod(0o755)
    try:
        server = EmbeddedPostgres(workshop)
        server.start()
        try:
            from app.adapters.migrate import upgrade_to_head

            upgrade_to_head(server.url)
        finally:
            server.stop()  # a clean shut-down: the copy needs no recovery
        made = Path(tempfile.mkdtemp(prefix=".making-", dir=CACHE))
        shutil.copytree(server.data_folder, made / "data", symlinks=True)
        try:
            os.replace(made / "data", kept)
        except OSError:  # another stack put its own in place first: the same schema, keep theirs
            pass
        shutil.rmtree(made, ignore_errors=True)
    finally:
        shutil.rmtree(workshop, ignore_errors=True)
    return kept
