"""ASGI middleware: a request body must be JSON; anything else answers 415 naming Content-Type.

Pure ASGI (no BaseHTTPMiddleware) so streaming and the body-size limit stay untouched.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class RequireJsonBodies:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in BODY_METHODS:
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            has_body = headers.get("content-length", "0") not in ("", "0") or "transfer-encoding" in headers
            if has_body and not _is_json(headers.get("content-type", "")):
                await _refuse(send, headers.get("content-type", "none"))
                return
        await self.app(scope, receive, send)


async def _refuse(send: Send, content_type: str) -> None:
    body = json.dumps({"error": {"code": "unsupported_media_type",
                                 "message": f"request bodies must be application/json, not {content_type}",
                                 "field": "Content-Type"}}).encode()
    await send({"type": "http.response.start", "status": 415,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
