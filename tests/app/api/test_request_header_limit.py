"""Request headers past the limit, in all, are refused before anything reads them: an HTTP request with 431, a
WebSocket handshake closed with 1009 saying why; within the limit, both reach the platform."""

from __future__ import annotations

import asyncio
from typing import Any

from app.entrypoints.http.security_headers import SecurityHeaders

LIMIT = 1_000


def _through(scope_type: str, header_bytes: int) -> tuple[list[dict[str, Any]], bool]:
    """What the middleware sent, and whether the platform behind it was reached."""
    reached = []

    async def platform(scope: Any, receive: Any, send: Any) -> None:
        reached.append(scope["type"])

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    padding = b"x" * (header_bytes - len(b"x-padding") - 4)
    scope = {"type": scope_type, "path": "/api/v1/assistant/ws", "headers": [(b"x-padding", padding)]}
    middleware = SecurityHeaders(platform, max_header_bytes=LIMIT, private_prefix="/api/v1")
    asyncio.run(middleware(scope, receive, send))
    return sent, bool(reached)


def test_a_handshake_with_headers_past_the_limit_is_closed_with_1009_saying_why():
    assert _through("websocket", LIMIT + 1) == (
        [{"type": "websocket.close", "code": 1009, "reason": "request headers too large"}],
        False,
    )


def test_a_handshake_with_headers_at_the_limit_reaches_the_platform():
    assert _through("websocket", LIMIT) == ([], True)
