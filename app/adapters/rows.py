"""Rows handed up as the records of app/domain/records.py (their keys are the table's columns, a test sees)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def record(row: Mapping[Any, Any]) -> Any:
    """One row as its table's record."""
    return dict(row)


def records(rows: Iterable[Mapping[Any, Any]]) -> list[Any]:
    """Rows as their table's records, in the order read."""
    return [dict(row) for row in rows]
