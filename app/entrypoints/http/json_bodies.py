"""ASGI middleware for request bodies: JSON only (415) and no larger than a limit (413).

Both refusals are JSON errors naming the field, like every other error. The
size is checked from Content-Length before anything is read; a body sent
without one (chunked) is read here up to the limit, then handed on. Pure ASGI
(no BaseHTTPMiddleware).
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _is_json(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class RequestBodyRules:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        length = headers.get("content-length", "")
        has_body = (length not in ("", "0")) or "transfer-encoding" in headers
        if has_body and not _is_json(headers.get("content-type", "")):
            await refuse(
                send,
                415,
                "unsupported_media_type",
                "Content-Type",
                f"request bodies must be application/json, not {headers.get('content-type', 'none')}",
            )
            return
        if length.isdigit():
            if int(length) > self.max_bytes:
                await refuse(
                    send, 413, "payload_too_large", "body", f"request bodies are limited to {self.max_bytes} bytes"
                )
                return
            await self.app(scope, receive, send)
            return
        await self._counting(scope, receive, send)

    async def _counting(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A body of unknown size is read here first (at most the limit), then handed on whole."""
        messages: list[Message] = []
        received = 0
        while True:
            message = await receive()
            messages.append(message)
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                await refuse(
                    send, 413, "payload_too_large", "body", f"request bodies are limited to {self.max_bytes} bytes"
                )
                return
            if message["type"] != "http.request" or not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def refuse(send: Send, status: int, code: str, field: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message, "field": field}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
