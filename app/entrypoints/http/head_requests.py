"""A HEAD request answered as its GET would be, without the body (RFC 9110, section 9.3.2: every server
supports GET and HEAD). FastAPI's routes answer the methods they name, and a GET route's HEAD was refused 405:
a monitor or a cache asking only for the headers was told the resource takes no such request."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class HeadAnsweredAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            # the routes see a GET; the server, which read the request itself, leaves the body out (uvicorn
            # does, with the GET's Content-Length kept)
            scope = {**scope, "method": "GET"}
        await self.app(scope, receive, send)
