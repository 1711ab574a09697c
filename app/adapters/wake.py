"""Waking a background loop of this instance when there is work for it, so that it need not poll often."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field


class Wake:
    """Rung when work has been committed for a loop that otherwise waits (``wait``) up to its time-out.

    ``ring`` never waits and may be called from any thread (work committed in worker threads rings it too). A ring
    while the loop is busy is kept: its next ``wait`` returns at once.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def ring(self) -> None:
        loop = self._loop
        if loop is None:  # nobody has waited yet: the first wait finds it rung
            self._event.set()
            return
        try:
            on_its_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_its_loop = False
        if on_its_loop:
            self._event.set()
        else:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits any more
                loop.call_soon_threadsafe(self._event.set)

    async def wait(self, timeout: float) -> bool:
        """Returns when rung (True), or after ``timeout`` seconds (False)."""
        self._loop = asyncio.get_running_loop()
        rung = True
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            rung = False
        self._event.clear()
        return rung


@dataclass(frozen=True, slots=True)
class Wakes:
    """This instance's loops that work is committed for: the mail sender (mail queued) and the analytics
    ingester (business events or the assistant's use recorded)."""

    mail: Wake = field(default_factory=Wake)
    analytics: Wake = field(default_factory=Wake)
