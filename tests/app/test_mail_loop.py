"""The mail sender's loop drains the outbox at once while there is mail, and waits to be woken (or a second)
when there is none: never polling the database in a loop that takes a core."""

from __future__ import annotations

import asyncio
import contextlib
from types import SimpleNamespace

from app.main import send_mail_forever

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

    platform = SimpleNamespace(mail=SimpleNamespace(send_due=send_due), mail_wake=SimpleNamespace(wait=wait))

    async def for_a_while() -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(send_mail_forever(platform), 0.3)

    asyncio.run(for_a_while())
    assert len(calls) <= len(SENDING) + 7, f"{len(calls)} calls in 0.3 s (a wait is 0.05 s): it polls without waiting"
    assert waits and len(waits) == len(calls) - len(SENDING), (
        "a wait after each call that sent nothing, none after one that sent"
    )
