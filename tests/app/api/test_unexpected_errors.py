"""An error nobody foresaw is answered 500 in the error shape, saying it was logged, and logged with its trace:
never the exception's text, never another status."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from fastapi import FastAPI
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.entrypoints.http.errors import install_error_handlers

SECRET_DETAIL = "the connection string postgresql://owner:hunter2@db"


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/broken")
    def broken() -> dict:
        raise RuntimeError(SECRET_DETAIL)

    @app.get("/crowded")
    def crowded() -> dict:
        raise PoolTimeout("QueuePool limit of size 10 overflow 0 reached")

    return app


def _get(app: FastAPI, path: str) -> tuple[int, dict, dict]:
    """The app's answer to a GET, driven over ASGI (the server's middleware raises the error again once it has
    answered, as it does under uvicorn, which logs it)."""
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 80),
    }
    with contextlib.suppress(RuntimeError):
        asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], json.loads(body), {k.decode(): v.decode() for k, v in start["headers"]}


def test_an_unexpected_error_is_answered_500_in_the_error_shape_and_logged(caplog):
    with caplog.at_level(logging.ERROR, logger="app.errors"):
        status, body, _ = _get(_app(), "/broken")
    assert status == 500
    assert body == {
        "error": {"code": "internal_error", "message": "unexpected error; it has been logged", "field": None}
    }
    assert SECRET_DETAIL not in json.dumps(body)
    logged = [r for r in caplog.records if r.name == "app.errors" and r.levelno >= logging.ERROR]
    assert logged and logged[0].exc_info is not None, "the error is logged with its trace"


def test_every_connection_of_the_blocking_pool_busy_is_answered_503_to_ask_again_in_a_second():
    status, body, headers = _get(_app(), "/crowded")
    assert (status, body["error"]["code"], headers.get("retry-after")) == (503, "platform_busy", "1")
