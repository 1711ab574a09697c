"""The analytics store: ClickHouse, spoken to over its own HTTP interface (ANALYTICS_URL).

The same requests reach a ClickHouse server (where a company that outgrows one
machine goes: its replication and sharding) and the embedded store of the
stack (chDB behind that interface, ``support.stack.analytics_server``). Rows
go and come as JSONEachRow; parameters travel as ClickHouse's ``param_*``, never
inside the text of a query. The schema is versioned: the files of
``analytics_schema`` are applied in order once each, and the store records which.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import requests

from app.domain.errors import DependencyUnavailable

SCHEMA = Path(__file__).parent / "analytics_schema"
TIMEOUT_SECONDS = 10.0


class AnalyticsStore:
    def __init__(self, url: str, *, timeout_seconds: float = TIMEOUT_SECONDS) -> None:
        self._url = url.rstrip("/") + "/"
        self._timeout = timeout_seconds
        self._http = requests.Session()

    def _post(self, body: str, params: dict[str, Any] | None = None) -> str:
        query = {f"param_{name}": str(value) for name, value in (params or {}).items()}
        try:
            answer = self._http.post(self._url, params=query, data=body.encode("utf-8"), timeout=self._timeout)
        except requests.RequestException as exc:
            raise DependencyUnavailable(
                "analytics", f"the analytics store did not answer: {type(exc).__name__}"
            ) from exc
        if answer.status_code != 200:
            raise DependencyUnavailable("analytics", f"the analytics store refused a query: {answer.text[:300]}")
        return answer.text

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The rows of a SELECT, each a dict by column name."""
        text = self._post(f"{sql} FORMAT JSONEachRow", params)
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        self._post(sql, params)

    def insert(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Inserts ``rows`` as one block (all or none of them)."""
        return self.insert_encoded(table, [json.dumps(row, default=str, separators=(",", ":")) for row in rows])

    def insert_encoded(self, table: str, lines: Sequence[str]) -> int:
        """Inserts rows already encoded, one JSON object each, as one block (all or none of them)."""
        if lines:
            self._post(f"INSERT INTO {table} FORMAT JSONEachRow\n" + "\n".join(lines) + "\n")
        return len(lines)

    def ping(self) -> bool:
        try:
            return self._http.get(self._url + "ping", timeout=2).text.strip() == "Ok."
        except requests.RequestException:
            return False

    def migrate(self) -> list[str]:
        """Applies the schema's files not yet applied, in order; returns their names."""
        self.execute(
            "CREATE TABLE IF NOT EXISTS schema_versions (version String, applied_at DateTime64(6, 'UTC') "
            "DEFAULT now64(6)) ENGINE = ReplacingMergeTree ORDER BY version"
        )
        applied = {row["version"] for row in self.rows("SELECT version FROM schema_versions FINAL")}
        done = []
        for path in sorted(SCHEMA.glob("*.sql")):
            if path.stem in applied:
                continue
            for statement in statements(path.read_text()):
                self.execute(statement)
            self.insert("schema_versions", [{"version": path.stem}])
            done.append(path.stem)
        return done

    def close(self) -> None:
        self._http.close()


def statements(script: str) -> list[str]:
    """The statements of a schema file, in order: separated by a ``;`` that ends a line."""
    return [part.strip() for part in re.split(r";\s*\n", script + "\n") if part.strip()]
