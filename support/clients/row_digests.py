"""A company's rows, each digested under its id, read over one connection kept open for it.

The checks that hold everywhere read them twice around most requests a scenario sends, so the read is one
prepared statement on a connection in autocommit (no pool check-out, no ping, no BEGIN and ROLLBACK): about a
seventh of what the pooled read cost (docs/figures.md). The connection is read-only; after a failure (a
scenario stopped the database, or a standby took over) the next read opens a new one.

And a company's rows are read again only when the database may have changed since they were last read: the
position of the database's write-ahead log is asked first (a tenth of the rows' cost), and where it has not
moved since it was asked before the rows were last read, no transaction has committed since and those rows are
the company's rows now. A read answered without writing, and a request following one with nothing written
between them, cost the position alone (the rows were about a sixth of the specification's CPU).
"""

from __future__ import annotations

import threading

import psycopg

Rows = dict[str, dict[str, str]]  # table -> row key (its id, else the row's digest) -> the row's digest

# where the log stands: every commit moves it (on a standby, the last replayed position does)
LOG_POSITION = (
    "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END::text"
)
COMPANY_TABLES = (
    "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
    "AND column_name = 'tenant_id' ORDER BY table_name"
)


class RowDigests:
    def __init__(self, database_url: str) -> None:
        self._url = database_url
        self._conn: psycopg.Connection | None = None
        self._lock = threading.Lock()
        self._statements: dict[tuple[str, ...], str] = {}  # by the tables left out
        # the rows last read, by company and the tables left out, with where the log stood before they were read
        self._last: dict[tuple[str, tuple[str, ...]], tuple[str, Rows]] = {}
        self.read = self.reused = 0  # how often the rows were read, and taken from the last read instead

    def of(self, company: str, *, leave_out: tuple[str, ...] = ()) -> Rows:
        """The company's rows in each table that holds companies' rows (but ``leave_out``): any row added,
        changed or removed shows. Raises what the database raised (the connection is then opened again). The
        rows returned are shared with later calls: read them, never change them."""
        with self._lock:
            try:
                conn = self._connection()
                found_at = conn.execute(LOG_POSITION, prepare=True).fetchone()
                position = found_at[0] if found_at else None
                last = self._last.get((company, leave_out))
                if position is not None and last is not None and last[0] == position:
                    self.reused += 1
                    return last[1]
                found = conn.execute(self._statement(conn, leave_out), {"company": company}, prepare=True).fetchall()
            except psycopg.Error:
                self.close()
                raise
            self.read += 1
            rows: Rows = {}
            for table, key, digest in found:
                rows.setdefault(table, {})[key] = digest
            if position is not None:
                self._last[(company, leave_out)] = (position, rows)
            return rows

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self._url, autocommit=True)
            self._conn.execute("SET default_transaction_read_only = on")
        return self._conn

    def _statement(self, conn: psycopg.Connection, leave_out: tuple[str, ...]) -> str:
        """One statement over every company table (the migrated schema's: read once). ``leave_out`` names whole
        tables, or a table's rows of one kind: ``"notifications.kind=mail_undeliverable"``."""
        if leave_out not in self._statements:
            rows_left_out: dict[str, list[str]] = {}
            for spelled in leave_out:
                table, _, condition = spelled.partition(".")
                if condition:
                    column, _, value = condition.partition("=")
                    quoted = value.replace("'", "''")
                    rows_left_out.setdefault(table, []).append(f"AND t.\"{column}\" IS DISTINCT FROM '{quoted}'")
            tables = [t for (t,) in conn.execute(COMPANY_TABLES).fetchall() if t not in leave_out]
            self._statements[leave_out] = " UNION ALL ".join(
                f"SELECT '{table}' AS table_name, coalesce(to_jsonb(t)->>'id', md5(t::text)) AS key,"
                f' md5(t::text) AS digest FROM "{table}" t WHERE tenant_id = %(company)s::uuid'
                + "".join(f" {condition}" for condition in rows_left_out.get(table, ()))
                for table in tables
            )
        return self._statements[leave_out]

    def close(self) -> None:
        """Closes the connection; the rows last read are forgotten (the next connection may reach another server)."""
        if self._conn is not None:
            self._conn.close()
        self._conn = None
        self._last.clear()
