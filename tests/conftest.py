"""Shared fixtures: one embedded stack for the tests that need a running platform."""

from __future__ import annotations

import pytest

from support.stack.stack import Stack


@pytest.fixture(scope="session")
def stack():
    with Stack({}) as running:
        yield running
