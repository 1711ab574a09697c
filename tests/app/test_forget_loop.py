"""The expired idempotency keys and revocations are forgotten round after round, as often as the setting says (a
minute by default), and a round that fails is said and tried again at the next."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from types import SimpleNamespace

import pytest
from sqlalchemy.exc import OperationalError

import app.main
from app.adapters.expired_records import Forgotten
from app.main import forget_expired_forever

ROUND_SECONDS = 0.05
RUN_SECONDS = 0.3


def _rounds(monkeypatch: pytest.MonkeyPatch, forget) -> list[object]:
    """The rounds the loop makes in RUN_SECONDS, forgetting with ``forget``, every ROUND_SECONDS."""
    rounds: list[object] = []

    def counted(engine, now):
        rounds.append(now)
        return forget()

    monkeypatch.setattr(app.main, "forget_expired", counted)
    platform = SimpleNamespace(engine=None, settings=SimpleNamespace(forget_expired_every_seconds=ROUND_SECONDS))

    async def for_a_while() -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(forget_expired_forever(platform), RUN_SECONDS)

    asyncio.run(for_a_while())
    return rounds


def test_the_expired_records_are_forgotten_as_often_as_the_setting_says(monkeypatch):
    rounds = _rounds(monkeypatch, lambda: Forgotten(idempotency_keys=0, revocations=0))
    most = RUN_SECONDS / ROUND_SECONDS + 1
    assert 3 <= len(rounds) <= most, f"{len(rounds)} rounds in {RUN_SECONDS} s, one every {ROUND_SECONDS} s set"


def test_a_round_that_fails_is_said_and_tried_again_at_the_next(monkeypatch, caplog):
    def away():
        raise OperationalError("SELECT 1", {}, Exception("the database is away"))

    with caplog.at_level(logging.WARNING, logger="app.expired"):
        rounds = _rounds(monkeypatch, away)
    assert len(rounds) >= 3, "the loop keeps going after a failed round"
    assert "waits for the database" in caplog.text
