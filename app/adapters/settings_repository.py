"""Each company's settings: assistant limits and the approval threshold, with defaults until changed."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.adapters.rows import record
from app.adapters.tables import tenant_settings
from app.domain.records import SettingsRecord

DEFAULT_SETTINGS: SettingsRecord = {
    "assistant_tool_timeout_ms": 5000,
    "assistant_runs_per_minute": 30,
    "approval_threshold": None,
    "approval_threshold_currency": None,
}

# built once: asked for every question the assistant takes
_SETTINGS_OF = select(tenant_settings).where(tenant_settings.c.tenant_id == bindparam("company"))


class SettingsRepository:
    def __init__(self, conn: Connection, company: uuid.UUID) -> None:
        self._conn = conn
        self._company = company

    def of(self) -> SettingsRecord:
        row = self._conn.execute(_SETTINGS_OF, {"company": self._company}).mappings().first()
        return record({k: row[k] for k in DEFAULT_SETTINGS}) if row else DEFAULT_SETTINGS.copy()

    def save(self, values: Mapping[str, Any]) -> SettingsRecord:
        merged: SettingsRecord = record({**self.of(), **values})
        self._conn.execute(
            pg_insert(tenant_settings)
            .values(tenant_id=self._company, **merged)
            .on_conflict_do_update(index_elements=["tenant_id"], set_=merged)
        )
        return merged
