"""The stack's PostgreSQL with a seat for a standby: the primary at one port, a standby kept by synchronous
streaming replication at the other once asked for, promoted when the primary is lost.

The platform and the harness are given both seats in one URL, libpq's multi-host form with
``target_session_attrs=read-write``, as a deployment's clients are given a primary and its standby: each new
connection tries the seats in turn and keeps the one that takes writes, so after a fail-over every client finds
the new primary by itself. The seats swap at each fail-over (the next standby is made at the lost primary's).

Synchronous: once the standby streams, the primary waits for it to hold every commit before acknowledging it
(``synchronous_standby_names``), so a commit acknowledged before the primary is lost is on the standby.
"""

from __future__ import annotations

from pathlib import Path

from support.scenario.eventually import eventually
from support.stack.postgres_server import DATABASE, EmbeddedPostgres
from support.stack.processes import ManagedProcess, free_port


class ReplicatedPostgres:
    def __init__(self, run_dir: Path, *, copy_of: Path) -> None:
        self._run_dir = run_dir
        self.seats = (free_port(), free_port())
        self.primary = EmbeddedPostgres(run_dir, copy_of=copy_of, port=self.seats[0])
        self.standby: EmbeddedPostgres | None = None
        self.fail_overs = 0

    @property
    def url(self) -> str:
        hosts = ",".join(f"127.0.0.1:{port}" for port in self.seats)
        return f"postgresql://postgres@{hosts}/{DATABASE}?target_session_attrs=read-write"

    @property
    def process(self) -> ManagedProcess | None:
        return self.primary.process

    def launch(self) -> None:
        self.primary.launch()

    def wait_ready(self, timeout: float = 20.0) -> None:
        self.primary.wait_ready(timeout)

    def start(self, timeout: float = 20.0) -> None:
        self.primary.start(timeout)

    def stop(self) -> None:
        if self.standby is not None:
            self.standby.stop()
        self.primary.stop()

    def kill(self) -> None:
        self.primary.kill()

    def keep_standby(self, timeout: float = 20.0) -> dict[str, int]:
        """A standby at the free seat, streaming, and the primary acknowledging a commit only once the standby
        holds it. A standby already kept is kept."""
        if self.standby is not None and self.standby.process is not None and self.standby.process.running():
            return self.seated()
        seat = self.seats[1] if self.primary.port == self.seats[0] else self.seats[0]
        self.standby = EmbeddedPostgres(
            self._run_dir, standby_of=self.primary.port, port=seat, folder=f"postgres-{self.fail_overs + 1}"
        )
        self.standby.start(timeout)
        self.primary.execute("ALTER SYSTEM SET synchronous_standby_names = '*'", "SELECT pg_reload_conf()")
        eventually(self._in_step, timeout=timeout, interval=0.05)
        return self.seated()

    def fail_over(self, timeout: float = 20.0) -> dict[str, int]:
        """The primary lost (SIGKILL, its disk gone) and the standby promoted: the standby is the primary."""
        if self.standby is None:
            raise RuntimeError("no standby to fail over to: keep one first (POST /postgres/standby)")
        lost, self.primary, self.standby = self.primary, self.standby, None
        lost.kill()
        self.primary.promote(timeout)
        eventually(lambda: not self.primary.in_recovery(), timeout=timeout, interval=0.05)
        lost.remove()
        self.fail_overs += 1
        return self.seated()

    def seated(self) -> dict[str, int]:
        """The ports of the primary and the standby (0: none)."""
        return {"primary_port": self.primary.port, "standby_port": self.standby.port if self.standby else 0}

    def _in_step(self) -> None:
        rows = self.primary.rows("SELECT state, sync_state FROM pg_stat_replication")
        assert ("streaming", "sync") in rows, f"the standby is not streaming synchronously yet: {rows}"
