"""The analytics store's schema files: each read as the statements it holds, in order, and every version
applied in order to a store of its own (chDB, the embedded store's engine) leaves one table of events kept
in each company's order, with the rows of earlier versions moved over."""

from __future__ import annotations

import json
import tempfile
import uuid

import pytest

from app.adapters.analytics_store import SCHEMA, statements


def test_a_schema_file_is_split_into_its_statements_at_a_semicolon_that_ends_a_line():
    script = "-- a comment; not an end\nCREATE TABLE a (x UInt8) ENGINE = Memory;\n\nINSERT INTO a VALUES (1);  \nDROP TABLE a\n"
    assert statements(script) == [
        "-- a comment; not an end\nCREATE TABLE a (x UInt8) ENGINE = Memory",
        "INSERT INTO a VALUES (1)",
        "DROP TABLE a",
    ]


def test_a_file_of_one_statement_is_that_statement():
    assert statements("ALTER TABLE events ADD COLUMN x String\n") == ["ALTER TABLE events ADD COLUMN x String"]


def test_every_version_in_order_keeps_the_rows_of_the_earlier_ones_and_orders_them_by_company_and_seq():
    chdb_session = pytest.importorskip("chdb.session")
    store = chdb_session.Session(tempfile.mkdtemp(prefix="schema-test-"))
    company, event = str(uuid.uuid4()), str(uuid.uuid4())
    versions = sorted(SCHEMA.glob("*.sql"))
    for path in versions:
        if path.stem.startswith("0004"):  # a row stored before the table was rebuilt
            row = {
                "company": company,
                "event_id": event,
                "seq": 7,
                "action": "payment_received",
                "subject": event,
                "occurred_at": "2026-12-03 10:00:00.000000",
                "amount": "12.50",
                "currency": "EUR",
            }
            store.query("INSERT INTO events FORMAT JSONEachRow " + json.dumps(row))
        for statement in statements(path.read_text()):
            store.query(statement)
    rows = [
        json.loads(line)
        for line in bytes(
            store.query(
                "SELECT seq, action, toString(subject_id) AS subject_id, toString(amount) AS amount FROM events",
                "JSONEachRow",
            ).bytes()
        )
        .decode()
        .splitlines()
    ]
    assert rows == [{"seq": 7, "action": "payment_received", "subject_id": event, "amount": "12.5"}]
    key = bytes(store.query("SELECT sorting_key FROM system.tables WHERE name = 'events'", "TSV").bytes()).decode()
    assert key.strip() == "company, seq, event_id"
