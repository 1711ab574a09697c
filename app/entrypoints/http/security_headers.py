"""ASGI middleware: security headers on every answer (each answer counted by status), and request headers no
larger than a limit (431).

Every answer says ``nosniff``, may not be framed and sends no referrer; every
API answer (tokens, profiles, a company's records) is ``no-store``, so no cache
on the way keeps credentials or business data. Request headers larger than
the limit in total are answered 431 with a JSON error, before any route reads
them. Pure ASGI (no BaseHTTPMiddleware).
"""

from __future__ import annotations

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
            if scope["type"] == "websocket":  # a handshake is refused before it is accepted
                await send({"type": "websocket.close", "code": 1009, "reason": "request headers too large"})
                return
            await refuse(
                _with_headers(send, ALWAYS + NO_STORE),
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


def _with_headers(send: Send, extra: tuple[tuple[bytes, bytes], ...]) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            COUNTERS.add("platform_http_requests_total", status=str(message["status"]))
            present = {name.lower() for name, _ in message.get("headers", [])}
            message["headers"] = [*message.get("headers", []), *((n, v) for n, v in extra if n not in present)]
        await send(message)

    return sending
