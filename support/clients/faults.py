"""Faults injected with the real servers' own means, always healed.

Each fault is a context the caller registers for cleanup where it is
acquired, so it is healed even when the scenario fails. Names follow
Toxiproxy's fault kinds where one fits (``down``, ``latency``).
"""

from __future__ import annotations

import socket
import threading
from typing import Any

import psycopg
import redis
import requests
from psycopg import sql

from support.clients.exchanges import interrupted_by_the_harness
from support.report.evidence import attach_json


def sessions_waiting_for(database_url: str, pid: int) -> list[int]:
    """The database sessions waiting for a lock the session ``pid`` holds."""
    with psycopg.connect(database_url, autocommit=True) as probe:
        rows = probe.execute(
            "SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid)) ORDER BY pid", (pid,)
        ).fetchall()
    return [row[0] for row in rows]


class HeldTenantLock:
    """Holds a row lock on one tenant, as a long-running job would: every audited write of it waits."""

    def __init__(self, database_url: str, tenant_id: str) -> None:
        self._url = database_url
        self._conn = psycopg.connect(database_url)
        self._conn.execute("SELECT id FROM tenants WHERE id = %s FOR NO KEY UPDATE", (tenant_id,))
        attach_json(
            "fault: tenant row lock held", {"tenant_id": tenant_id, "how": "SELECT ... FOR NO KEY UPDATE, left open"}
        )

    def waiting_behind(self) -> list[int]:
        """The database sessions waiting for this hold, and those waiting for them in turn (one read of who
        waits for whom)."""
        with psycopg.connect(self._url, autocommit=True) as probe:
            waits = probe.execute("SELECT pid, pg_blocking_pids(pid) FROM pg_stat_activity").fetchall()
        behind, newest = [], [self._conn.info.backend_pid]
        while newest:
            newest = [pid for pid, holders in waits if pid not in behind and set(holders) & set(newest)]
            behind += newest
        return behind

    @property
    def held(self) -> bool:
        return not self._conn.closed

    def release(self) -> None:
        if not self._conn.closed:
            self._conn.rollback()
            self._conn.close()


class HeldProjectRow:
    """Holds one delivery project's row locked (FOR UPDATE), as an editor keeping it open would: a task added
    to it waits at the database, in the middle of its transaction, until ``release``. Tells which database
    sessions wait for it, and which wait for those."""

    def __init__(self, database_url: str, project_id: str) -> None:
        self._url = database_url
        self._conn = psycopg.connect(database_url)
        self._conn.execute("SELECT id FROM projects WHERE id = %s FOR UPDATE", (project_id,))
        self._pid = self._conn.info.backend_pid
        self._releasing = threading.Lock()  # let go by a watcher's thread, or by the scenario's clean-up
        attach_json(
            "fault: project row lock held", {"project_id": project_id, "how": "SELECT ... FOR UPDATE, left open"}
        )

    def waiting_for(self, pid: int | None = None) -> list[int]:
        """The database sessions waiting for a lock ``pid`` holds (default: this hold's own)."""
        return sessions_waiting_for(self._url, pid or self._pid)

    @property
    def held(self) -> bool:
        return not self._conn.closed

    def release(self) -> None:
        with self._releasing:
            if not self._conn.closed:
                self._conn.rollback()
                self._conn.close()


class DoubleFault:
    """A fault set on a double's control endpoint (down, latency_ms, ...); ``heal`` sets it back to normal."""

    def __init__(self, control_url: str, fault: dict[str, Any]) -> None:
        self._url = control_url.rstrip("/") + "/_control"
        response = requests.post(self._url, json=fault, timeout=5)
        response.raise_for_status()
        attach_json(f"fault: {fault} at {self._url}", response.json())

    def heal(self) -> None:
        requests.post(self._url, json={}, timeout=5).raise_for_status()


class ServerOutage:
    """The stack's own PostgreSQL or Redis stopped (STACK_CONTROL_URL); ``heal`` starts it again, same port."""

    def __init__(self, control_url: str, server: str) -> None:
        self._control = control_url.rstrip("/")
        self._server = server
        attach_json(f"fault: {server} stopped", stack_action(self._control, server, "stop"))

    def heal(self) -> None:
        attach_json(f"healed: {self._server} started", stack_action(self._control, self._server, "start"))


class InstanceCrash:
    """A platform instance killed outright (SIGKILL, as a crashed host); ``heal`` starts it again, same port."""

    def __init__(self, control_url: str, instance: str) -> None:
        self._control = control_url.rstrip("/")
        self._instance = instance
        attach_json(f"fault: {instance} killed", stack_action(self._control, instance, "kill"))

    def heal(self) -> None:
        attach_json(f"healed: {self._instance} started", stack_action(self._control, self._instance, "start"))


def restart_server(control_url: str, server: str) -> dict[str, Any]:
    """Stops and starts the server (fast shutdown: every open connection is cut)."""
    answer = stack_action(control_url.rstrip("/"), server, "restart")
    attach_json(f"fault: {server} restarted", answer)
    return answer


class InstanceSettings:
    """A platform instance restarted with some settings changed (STACK_CONTROL_URL); ``heal`` restarts it as it was."""

    def __init__(self, control_url: str, instance: str, settings: dict[str, str]) -> None:
        self._control = control_url.rstrip("/")
        self._instance = instance
        shown = {name: "(set)" for name in settings}  # values may be secrets: only their names go to the report
        attach_json(f"{instance} restarted with {shown}", stack_action(self._control, instance, "restart", settings))

    def heal(self) -> None:
        attach_json(f"{self._instance} restarted as it was", stack_action(self._control, self._instance, "restart", {}))


def keep_database_standby(control_url: str) -> dict[str, Any]:
    """A standby of the stack's database, kept in step by synchronous streaming replication."""
    answer = stack_action(control_url.rstrip("/"), "postgres", "standby")
    attach_json("fault set-up: a standby of the database kept in step", answer)
    return answer


def fail_database_over(control_url: str) -> dict[str, Any]:
    """The database's primary lost (SIGKILL, its folder gone) and its standby promoted in its place."""
    answer = stack_action(control_url.rstrip("/"), "postgres", "fail-over")
    attach_json("fault: the database's primary lost, its standby promoted", answer)
    return answer


def stack_action(control_url: str, server: str, action: str, settings: dict[str, str] | None = None) -> dict[str, Any]:
    if action in ("kill", "stop", "restart", "boot"):
        interrupted_by_the_harness(server)
    body = {"settings": settings} if settings is not None else None
    response = requests.post(f"{control_url}/{server}/{action}", json=body, timeout=60)
    if not response.ok:
        raise RuntimeError(f"stack control could not {action} {server}: {response.text}")
    return response.json()


def terminate_platform_connections(database_url: str) -> int:
    """Cuts every database connection the platform holds (pg_terminate_backend); returns how many."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        pids = [
            row[0]
            for row in conn.execute("SELECT pid FROM pg_stat_activity WHERE application_name = 'platform'").fetchall()
        ]
        for pid in pids:
            conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
    attach_json("fault: platform connections terminated", {"pids": pids, "how": "pg_terminate_backend"})
    return len(pids)


class RedisPause:
    """Redis stops answering every client for ``ms`` (CLIENT PAUSE ALL); ``heal`` unpauses at once."""

    def __init__(self, redis_url: str, ms: int) -> None:
        self._redis = redis.Redis.from_url(redis_url, socket_timeout=5)
        self._redis.execute_command("CLIENT", "PAUSE", ms, "ALL")
        attach_json("fault: Redis paused", {"ms": ms, "how": "CLIENT PAUSE ms ALL"})

    def heal(self) -> None:
        try:
            self._redis.execute_command("CLIENT", "UNPAUSE")
        finally:
            self._redis.close()


class PoisonedInvoiceLine:
    """A constraint the database enforces on one company's invoice lines with this description: the write of
    that line fails after the invoice row and the lines before it were written. ``heal`` drops it."""

    def __init__(self, database_url: str, tenant_id: str, description: str) -> None:
        self._url = database_url
        self._name = f"fault_poisoned_line_{tenant_id.replace('-', '')[:16]}"
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL(
                    "ALTER TABLE invoice_lines ADD CONSTRAINT {} CHECK (tenant_id <> {} OR description <> {}) NOT VALID"
                ).format(sql.Identifier(self._name), sql.Literal(tenant_id), sql.Literal(description))
            )
        attach_json(
            "fault: constraint violation mid-write",
            {"constraint": self._name, "tenant_id": tenant_id, "fails_line": description},
        )

    def heal(self) -> None:
        with psycopg.connect(self._url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("ALTER TABLE invoice_lines DROP CONSTRAINT IF EXISTS {}").format(sql.Identifier(self._name))
            )


class SilentServer:
    """A port that takes connections and never answers (a server hung, a firewall swallowing the replies): it
    listens but never accepts, so the kernel completes each connection and no byte ever comes back."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(128)
        self.port = self._socket.getsockname()[1]

    def close(self) -> None:
        self._socket.close()
