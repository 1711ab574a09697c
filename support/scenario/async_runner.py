"""Runs coroutines on the one event loop behave's async steps use, so sockets live across steps."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, TypeVar

from behave.async_step import use_or_assign_event_loop

T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    done: T = use_or_assign_event_loop().run_until_complete(coroutine)
    return done
