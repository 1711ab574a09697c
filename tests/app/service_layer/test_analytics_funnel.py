"""A funnel stage nothing reached in the span counts none; the paid stage counts invoices, the others events."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from app.domain.analytics import Span
from app.domain.roles import Role
from app.service_layer import analytics
from app.service_layer.principal import Principal


class Store:
    """Answers the funnel's stages with the rows given, and its campaigns with none."""

    def __init__(self, stages: list[dict[str, Any]]) -> None:
        self._stages = stages

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._stages if "GROUP BY action" in sql else []


def test_stages_nothing_reached_count_none_and_the_paid_stage_counts_invoices():
    stages = [
        {"action": "lead_captured", "events": "4", "subjects": "0"},
        {"action": "payment_received", "events": "3", "subjects": "2"},  # three payments of two invoices
    ]
    analyst = Principal(user_id=uuid.uuid4(), company_id=uuid.uuid4(), role=Role.ANALYST)
    funnel = analytics.funnel(Store(stages), analyst, Span.of(date(2026, 1, 1), 31))
    assert [(s["stage"], s["count"]) for s in funnel["stages"]] == [
        ("leads", 4),
        ("qualified", 0),
        ("won", 0),
        ("invoiced", 0),
        ("paid", 2),
    ]
    assert funnel["campaigns"] == []
