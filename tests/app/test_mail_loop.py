"""The mail sender's loop drains the outbox at once while there is mail, and waits to be woken, or until the next
retry is due, when there is none: never polling the database in a loop that takes a core."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from types import SimpleNamespace

from sqlalchemy.exc import OperationalError

from app.main import MAIL_BUSY_SECONDS, MAIL_LOOK_SECONDS, send_mail_forever

SENDING = (10, 10, 3)  # what each call sends; nothing after them


def test_the_mail_loop_sends_batch_after_batch_then_waits_when_nothing_is_left():
    batches = list(SENDING)
    calls: list[int] = []
    waits: list[float] = []

    def send_due() -> int:
        calls.append(1)
        return batches.pop(0) if batches else 0

    async def wait(timeout: float) -> None:
        waits.append(timeout)
        await asyncio.sleep(0.05)

    platform = SimpleNamespace(
        mail=SimpleNamespace(send_due=send_due, seconds_until_due=lambda: None),
        wakes=SimpleNamespace(mail=SimpleNamespace(wait=wait)),
    )

    async def for_a_while() -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(send_mail_forever(platform), 0.3)

    asyncio.run(for_a_while())
    assert len(calls) <= len(SENDING) + 7, f"{len(calls)} calls in 0.3 s (a wait is 0.05 s): it polls without waiting"
    assert waits and len(waits) == len(calls) - len(SENDING), (
        "a wait after each call that sent nothing, none after one that sent"
    )
    assert set(waits) == {MAIL_LOOK_SECONDS}, "with no mail waiting, the sender waits its longest"


def _waits_with_mail_due_in(due_in: float) -> list[float]:
    """The time-outs the loop waits with when nothing was sent and the next mail is due in ``due_in`` seconds."""
    waits: list[float] = []

    async def wait(timeout: float) -> None:
        waits.append(timeout)
        await asyncio.sleep(0.05)

    platform = SimpleNamespace(
        mail=SimpleNamespace(send_due=lambda: 0, seconds_until_due=lambda: due_in),
        wakes=SimpleNamespace(mail=SimpleNamespace(wait=wait)),
    )

    async def for_a_while() -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(send_mail_forever(platform), 0.12)

    asyncio.run(for_a_while())
    return waits


def test_a_retry_due_soon_is_waited_for_until_it_is_due_and_mail_due_now_a_second():
    assert set(_waits_with_mail_due_in(2.5)) == {2.5}, "a retry due in 2.5 s: woken then"
    assert set(_waits_with_mail_due_in(600.0)) == {MAIL_LOOK_SECONDS}, "never longer than the sender's longest wait"
    # due now, yet this instance found none to take: another instance is sending it; not a loop that takes a core
    assert set(_waits_with_mail_due_in(0.0)) == {MAIL_BUSY_SECONDS}


def _logged_while_failing(failure: Exception, caplog) -> list[tuple[str, bool]]:
    """What the loop logs (level, with a traceback) while every call fails with ``failure``."""

    def send_due() -> int:
        raise failure

    async def wait(timeout: float) -> None:
        await asyncio.sleep(0.05)

    platform = SimpleNamespace(
        mail=SimpleNamespace(send_due=send_due), wakes=SimpleNamespace(mail=SimpleNamespace(wait=wait))
    )

    async def for_a_while() -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(send_mail_forever(platform), 0.12)

    with caplog.at_level(logging.WARNING, logger="app.outbox"):
        asyncio.run(for_a_while())
    return sorted({(r.levelname, r.exc_info is not None) for r in caplog.records if r.name == "app.outbox"})


def test_the_database_away_is_waited_for_with_a_warning(caplog):
    away = OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))
    assert _logged_while_failing(away, caplog) == [("WARNING", False)]


def test_any_other_failure_of_the_sender_is_an_error_with_its_traceback(caplog):
    """The checks that hold in every scenario read the platform's errors: an unforeseen failure of the sender
    (one message that stopped every other, say) is one of them, never a warning."""
    assert _logged_while_failing(ValueError("a header cannot hold a line separator"), caplog) == [("ERROR", True)]
