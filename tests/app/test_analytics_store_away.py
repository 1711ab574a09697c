"""An analytics store that cannot be reached is named as the dependency away, and why, in the refusal a reader
gets (its two arguments swapped survived the sample: the refusal named the message as the dependency)."""

from __future__ import annotations

import pytest

from app.adapters.analytics_store import AnalyticsStore
from app.domain.errors import DependencyUnavailable
from support.stack.processes import free_port


def test_a_store_that_does_not_answer_is_named_as_the_analytics_saying_it_did_not_answer():
    store = AnalyticsStore(f"http://127.0.0.1:{free_port()}", timeout_seconds=1)
    with pytest.raises(DependencyUnavailable) as away:
        store.rows("SELECT 1")
    assert away.value.dependency == "analytics"
    assert away.value.message.startswith("the analytics store did not answer: ")
