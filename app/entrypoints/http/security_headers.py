"""ASGI middleware: security headers on every answer (each answer counted by status), and request headers no
larger than a limit (431, a WebSocket handshake's too).

Every answer says ``nosniff``, may not be framed and sends no referrer; every
API answer (tokens, profiles, a company's records) is ``no-store``, so no cache
on the way keeps credentials or business data. Request headers larger than
the limit in total are answered 431 with a JSON error, before any route reads
them; a WebSocket handshake too, where the server can answer one in HTTP (else
it is closed with 1009, which a client sees as a bare 403). Pure ASGI (no
BaseHTTPMiddleware).
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.adapters.metrics import COUNTERS
from app.entrypoints.http.json_bodies import refuse

ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"referrer-policy", b"no-referrer"),
)
NO_STORE = ((b"cache-control", b"no-store"), (b"pragma", b"no-cache"))
HANDSHAKE_ANSWER = "websocket.http.response"  # the ASGI extension: a handshake refused with an HTTP answer
_REFUSED_IN_HTTP: ContextVar[bool] = ContextVar("a handshake refused with an HTTP answer", default=False)
NOT_COMPLETED = "ASGI callable returned without completing handshake"


class HandshakeRefusalIsNoFailure(logging.Filter):
    """uvicorn's websockets-sansio protocol sends a handshake's HTTP refusal, then logs that the handshake was
    never completed, an error, and tries to answer 500 too (it cannot: the refusal went first). Known upstream
    (Kludex/uvicorn pull request 3138); dropped here for the handshakes this platform refused, and for no other:
    the server's task running the platform for the handshake sees what the platform set in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (_REFUSED_IN_HTTP.get() and record.getMessage().startswith(NOT_COMPLETED))


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, max_header_bytes: int, private_prefix: str) -> None:
        self.app = app
        self.max_header_bytes = max_header_bytes
        self.private_prefix = private_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        size = sum(len(name) + len(value) + 4 for name, value in scope["headers"])
        if size > self.max_header_bytes:
            if scope["type"] == "websocket" and HANDSHAKE_ANSWER not in scope.get("extensions", {}):
                await send({"type": "websocket.close", "code": 1009, "reason": "request headers too large"})
                return  # a server that cannot answer a handshake in HTTP: closed before it is accepted
            if scope["type"] == "websocket":
                _REFUSED_IN_HTTP.set(True)
            await refuse(
                _with_headers(_as_handshake_answer(send) if scope["type"] == "websocket" else send, ALWAYS + NO_STORE),
                431,
                "request_header_fields_too_large",
                "headers",
                f"request headers are limited to {self.max_header_bytes} bytes in total",
            )
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        extra = ALWAYS + (NO_STORE if scope["path"].startswith(self.private_prefix) else ())
        await self.app(scope, receive, _with_headers(send, extra))


def _as_handshake_answer(send: Send) -> Send:
    """An HTTP answer sent as the refusal of a WebSocket handshake (the server passes it on as it is)."""

    async def sending(message: Message) -> None:
        await send({**message, "type": f"websocket.{message['type']}"})

    return sending


def _with_headers(send: Send, extra: tuple[tuple[bytes, bytes], ...]) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            COUNTERS.add("platform_http_requests_total", status=str(message["status"]))
            present = {name.lower() for name, _ in message.get("headers", [])}
            message["headers"] = [*message.get("headers", []), *((n, v) for n, v in extra if n not in present)]
        await send(message)

    return sending
