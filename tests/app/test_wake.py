"""A loop waiting for work is woken at once by a ring, from its own loop or from any other thread (work committed in
a worker thread rings it), and a ring before the wait is kept."""

from __future__ import annotations

import asyncio
import threading
import time

from app.adapters.wake import Wake

LONG = 5.0  # the wait's time-out: a ring that did not wake the loop shows as this long


def _waited(ring_from_a_thread: bool) -> float:
    async def wait_rung() -> float:
        wake = Wake()
        await wake.wait(0.01)  # the loop it rings from now on
        began = time.monotonic()
        if ring_from_a_thread:
            threading.Timer(0.1, wake.ring).start()
        else:
            asyncio.get_running_loop().call_later(0.1, wake.ring)
        assert await wake.wait(LONG), "rung, not timed out"
        return time.monotonic() - began

    return asyncio.run(wait_rung())


def test_a_ring_from_another_thread_wakes_an_idle_loop_at_once():
    assert _waited(ring_from_a_thread=True) < 1.0


def test_a_ring_on_its_own_loop_wakes_it_at_once():
    assert _waited(ring_from_a_thread=False) < 1.0


def test_a_ring_before_anyone_waits_is_kept_for_the_first_wait():
    async def rung_first() -> bool:
        wake = Wake()
        wake.ring()
        return await wake.wait(0.01)

    assert asyncio.run(rung_first())
