"""An aiohttp application served on this machine for the length of one piece of work: a stand-in for a service
the platform calls (the payment processor, the language model)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiohttp import web

T = TypeVar("T")


async def served(app: web.Application, run: Callable[[str], Awaitable[T]]) -> T:
    """``run(address)`` while ``app`` answers at ``address`` (a free port of 127.0.0.1); the server stops after."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        return await run(f"http://127.0.0.1:{port}")
    finally:
        await runner.cleanup()
