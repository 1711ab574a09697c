"""The counters an operator relies on, noted before the business happens and checked after.

World facts written here: ``operations.counters_before``."""

from __future__ import annotations

from hamcrest import assert_that, greater_than_or_equal_to

from support.clients.platform_metrics import counters
from support.report.evidence import attach_json
from support.scenario.world import World

COUNTER_WORDS = {  # as the feature names them: the sample on /metrics
    "payments recorded": 'platform_payments_total{outcome="recorded"}',
    "payments declined": 'platform_payments_total{outcome="declined"}',
    "answers that created a record": 'platform_http_requests_total{status="201"}',
    "answers that refused a card": 'platform_http_requests_total{status="402"}',
    "assistant questions answered": 'platform_assistant_runs_total{ended="completed"}',
    "assistant events": "platform_assistant_events_total",
    "requests turned away for a busy database": 'platform_db_pool_timeouts_total{pool="payments"}',
}


def note_counters(world: World) -> None:
    world.operations.counters_before = counters(world.inspectors.config.instance_urls)


def counters_moved(world: World, expected: dict[str, int]) -> None:
    """Each named counter grew by at least the amount (other scenarios may run at the same time)."""
    before, after = world.operations.counters_before, counters(world.inspectors.config.instance_urls)
    moved = {words: after.get(COUNTER_WORDS[words], 0) - before.get(COUNTER_WORDS[words], 0) for words in expected}
    attach_json("how far each counter moved", moved)
    for words, least in expected.items():
        assert_that(moved[words], greater_than_or_equal_to(least), f"{words} counted")
