"""A platform started without an analytics store (no ANALYTICS_URL) answers its analytics as a dependency that is
not there: 503, naming the store and the setting, and when to ask again (a minute: a store is not added sooner)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.domain.errors import DependencyUnavailable
from app.entrypoints.http.routes_analytics import _store


def test_analytics_without_a_store_are_unavailable_naming_it_and_when_to_ask_again():
    with pytest.raises(DependencyUnavailable) as unavailable:
        _store(SimpleNamespace(analytics=None))  # type: ignore[arg-type]
    said = unavailable.value
    assert (said.dependency, said.code, said.retry_after) == ("analytics", "dependency_unavailable", 60)
    assert said.message == "no analytics store is configured (ANALYTICS_URL)"


def test_analytics_with_a_store_are_read_from_it():
    store = object()
    assert _store(SimpleNamespace(analytics=store)) is store  # type: ignore[arg-type]
