"""SQLAlchemy engines on the database URL as libpq reads it (one host, or several for a standby that may take
over: ``postgresql://user@host-a:5432,host-b:5432/db?target_session_attrs=read-write``), so the harness finds the
primary wherever it is, as the platform does."""

from __future__ import annotations

from typing import Any

import psycopg
from sqlalchemy import Engine, create_engine


def engine(database_url: str, **options: Any) -> Engine:
    """An engine whose connections psycopg makes from the URL itself (SQLAlchemy's URL takes one host only)."""
    return create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(database_url), **options)
