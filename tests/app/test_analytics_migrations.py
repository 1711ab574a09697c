"""The analytics store's schema is applied to a store without it once, every version in order, each recorded;
a store that has them all is left as it is (the platform migrates it each time an instance starts)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from app.adapters.analytics_store import SCHEMA, AnalyticsStore
from support.stack.http_service import HttpService
from support.stack.stack import ANALYTICS_STORE_APP

pytest.importorskip("chdb")


@pytest.fixture
def store(tmp_path) -> Iterator[AnalyticsStore]:
    """A store of its own, empty: the stack's embedded one (chDB behind ClickHouse's HTTP interface)."""
    server = HttpService(
        "analytics-store",
        ANALYTICS_STORE_APP,
        log_dir=tmp_path,
        ready_path="/ping",
        env={"PATH": os.environ.get("PATH", ""), "ANALYTICS_DATA_DIR": str(tmp_path / "store")},
    )
    server.start()
    store = AnalyticsStore(server.url)
    try:
        yield store
    finally:
        store.close()
        server.stop()


def test_a_store_without_the_schema_gets_every_version_in_order_each_recorded_once(store):
    every_version = [path.stem for path in sorted(SCHEMA.glob("*.sql"))]
    assert store.migrate() == every_version
    recorded = store.rows("SELECT version FROM schema_versions FINAL ORDER BY version")
    assert [row["version"] for row in recorded] == every_version
    assert store.migrate() == [], "a version applied is never applied again"
    assert store.rows("SELECT count() AS events FROM events") == [{"events": 0}], "the table of events is made"
