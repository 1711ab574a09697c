"""The assistant's use is copied to the analytics as the store's rows, encoded by the database: its moment in
UTC whatever the connection's time zone, and the row marked copied by the same statement."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import text

from app.domain.audit import GENESIS_HASH
from app.service_layer.analytics import _COPY_USE


def test_a_use_is_given_back_as_the_stores_row_in_utc_and_marked_copied(database):
    company, use = uuid.uuid4(), uuid.uuid4()
    with database.connect() as conn, conn.begin():  # never committed: the instances' ingester cannot take it
        conn.execute(text("SET LOCAL TimeZone = 'America/New_York'"))
        conn.execute(
            text(
                "INSERT INTO tenants (id, name, slug, audit_seq, audit_head, created_at) "
                "VALUES (:c, 'Copy', :slug, 0, :head, now())"
            ),
            {"c": company, "slug": f"copy-{company.hex[:8]}", "head": GENESIS_HASH},
        )
        conn.execute(
            text(
                "INSERT INTO assistant_usage (id, tenant_id, run_id, action, occurred_at, tool_calls, tokens, "
                "answer_ms, failure, tool) VALUES (:id, :c, 'run-1', 'assistant_answered', "
                "'2026-01-15 10:30:00.123456+00', 2, 345, 1200, NULL, NULL)"
            ),
            {"id": use, "c": company},
        )
        conn.execute(text("SELECT set_config('app.company', 'all', true)"))
        rows = [json.loads(line) for line in conn.execute(_COPY_USE, {"batch": 5000}).scalars()]
        copied = conn.execute(text("SELECT copied_at FROM assistant_usage WHERE id = :id"), {"id": use}).scalar_one()
        conn.rollback()
    ours = [row for row in rows if row["event_id"] == str(use)]
    assert ours == [
        {
            "company": str(company),
            "event_id": str(use),
            "seq": 0,
            "action": "assistant_answered",
            "subject": "run-1",
            "occurred_at": "2026-01-15 10:30:00.123456",
            "amount": "0",
            "currency": "",
            "tool_calls": 2,
            "tokens": 345,
            "answer_ms": 1200,
            "failure": "",
            "tool": "",
        }
    ]
    assert copied is not None, "marked copied by the statement that gave it back"
