"""An instance that stops while assistant runs are under way waits for them the grace it is given, and says how
many had not ended (another instance ends those as ``instance_lost``); every client is closed either way."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

import pytest

from app.bootstrap import Platform


class _Closing:
    """What a stopping instance closes, each saying it was."""

    def __init__(self, closed: list[str], name: str) -> None:
        self._closed, self._name = closed, name

    async def close(self, *args: object, **kwargs: object) -> int:
        self._closed.append(self._name)
        return 0

    aclose = dispose = close


def _stopping(unfinished: int, closed: list[str]) -> SimpleNamespace:
    async def close_runs(grace_seconds: float) -> int:
        closed.append(f"runs within {grace_seconds:g} s")
        return unfinished

    parts = ("fanout", "model", "payments", "async_engine", "payments_engine", "async_redis")
    return SimpleNamespace(
        assistant=SimpleNamespace(close=close_runs),
        settings=SimpleNamespace(shutdown_grace_seconds=7.0),
        **{name: _Closing(closed, name) for name in parts},
    )


@pytest.mark.parametrize("unfinished", [0, 3])
def test_a_stopping_instance_waits_its_grace_says_how_many_runs_had_not_ended_and_closes_everything(unfinished, caplog):
    closed: list[str] = []
    with caplog.at_level(logging.WARNING, logger="app.shutdown"):
        asyncio.run(Platform.aclose(_stopping(unfinished, closed)))  # type: ignore[arg-type]
    said = [record.getMessage() for record in caplog.records if record.name == "app.shutdown"]
    assert said == ([f"{unfinished} assistant runs had not ended when the grace ran out"] if unfinished else [])
    assert closed == [
        "runs within 7 s",
        "fanout",
        "model",
        "payments",
        "async_engine",
        "payments_engine",
        "async_redis",
    ]
