"""Shared fixtures: one embedded stack for the tests that need a running platform."""

from __future__ import annotations

import pytest

from support.clients.database_engine import engine
from support.stack.stack import Stack


@pytest.fixture(scope="session")
def stack():
    with Stack({}) as running:
        yield running


@pytest.fixture(scope="module")
def database(stack):
    """An engine on the stack's database (its DATABASE_URL), for the tests that read or hold its rows."""
    made = engine(stack.env["DATABASE_URL"])
    yield made
    made.dispose()
