"""Request headers past the limit, in all, are refused before anything reads them: an HTTP request with 431, a
WebSocket handshake answered 431 alike where the server can answer it in HTTP, else closed with 1009 saying why;
within the limit, both reach the platform."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from app.entrypoints.http.security_headers import HandshakeRefusalIsNoFailure, SecurityHeaders

LIMIT = 1_000


def _through(
    scope_type: str, header_bytes: int, extensions: dict[str, Any] | None = None
) -> tuple[list[dict[str, Any]], bool]:
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
    scope = {
        "type": scope_type,
        "path": "/api/v1/assistant/ws",
        "headers": [(b"x-padding", padding)],
        "extensions": extensions or {},
    }
    middleware = SecurityHeaders(platform, max_header_bytes=LIMIT, private_prefix="/api/v1")
    asyncio.run(middleware(scope, receive, send))
    return sent, bool(reached)


def test_a_handshake_with_headers_past_the_limit_is_closed_with_1009_saying_why():
    assert _through("websocket", LIMIT + 1) == (
        [{"type": "websocket.close", "code": 1009, "reason": "request headers too large"}],
        False,
    )


def test_a_handshake_past_the_limit_is_answered_431_naming_the_headers_where_the_server_can_answer_in_http():
    sent, reached = _through("websocket", LIMIT + 1, {"websocket.http.response": {}})
    assert not reached
    assert [message["type"] for message in sent] == ["websocket.http.response.start", "websocket.http.response.body"]
    assert sent[0]["status"] == 431
    assert {(b"x-content-type-options", b"nosniff"), (b"cache-control", b"no-store")} <= set(sent[0]["headers"])
    assert json.loads(sent[1]["body"]) == {
        "error": {
            "code": "request_header_fields_too_large",
            "message": f"request headers are limited to {LIMIT} bytes in total",
            "field": "headers",
        }
    }


def test_a_handshake_with_headers_at_the_limit_reaches_the_platform():
    assert _through("websocket", LIMIT) == ([], True)


def test_the_servers_error_after_a_handshake_refused_in_http_is_dropped_and_kept_for_any_other():
    """uvicorn (websockets-sansio) logs that the handshake was never completed after sending the refusal."""
    noted = logging.getLogger("test.uvicorn.error")
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    noted.addHandler(Keep())
    noted.addFilter(HandshakeRefusalIsNoFailure())
    noted.propagate = False

    async def server_task(header_bytes: int) -> None:  # the server's task: the platform, then its own log
        middleware = SecurityHeaders(_reached_nothing, max_header_bytes=LIMIT, private_prefix="/api/v1")
        scope = {
            "type": "websocket",
            "path": "/api/v1/assistant/ws",
            "headers": [(b"x-padding", b"x" * header_bytes)],
            "extensions": {"websocket.http.response": {}},
        }
        await middleware(scope, _connect, _drop)
        noted.error("ASGI callable returned without completing handshake.")

    asyncio.run(server_task(LIMIT + 1))
    asyncio.run(server_task(10))
    assert seen == ["ASGI callable returned without completing handshake."]  # only the one not refused


async def _reached_nothing(scope: Any, receive: Any, send: Any) -> None:
    return None


async def _connect() -> dict[str, Any]:
    return {"type": "websocket.connect"}


async def _drop(message: dict[str, Any]) -> None:
    return None
