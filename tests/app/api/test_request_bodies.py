"""Every method that carries a body (POST, PUT, PATCH) has it checked before the platform reads it: JSON only
(415) and no larger than the limit (413), named by Content-Length or counted as it comes; a method without one
passes untouched."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from app.entrypoints.http.json_bodies import RequestBodyRules

LIMIT = 100


def _sent_through(method: str, headers: dict[str, str], body: bytes) -> tuple[int | None, str | None]:
    """The status and error code the rules answered with (None, None when the platform behind them was reached)."""
    sent: list[dict[str, Any]] = []

    async def platform(scope: Any, receive: Any, send: Any) -> None:
        sent.append({"type": "reached"})

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": "/api/v1/settings",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    asyncio.run(RequestBodyRules(platform, max_bytes=LIMIT)(scope, receive, send))
    if sent and sent[0]["type"] == "reached":
        return None, None
    start = next(m for m in sent if m["type"] == "http.response.start")
    answered = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], json.loads(answered)["error"]["code"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_a_body_not_json_or_past_the_limit_is_refused_whatever_the_method_that_carries_it(method):
    text = {"content-type": "text/plain", "content-length": "5"}
    assert _sent_through(method, text, b"hello") == (415, "unsupported_media_type")
    too_large = {"content-type": "application/json", "content-length": str(LIMIT + 1)}
    assert _sent_through(method, too_large, b"x" * (LIMIT + 1)) == (413, "payload_too_large")
    counted = {"content-type": "application/json", "transfer-encoding": "chunked"}
    assert _sent_through(method, counted, b"x" * (LIMIT + 1)) == (413, "payload_too_large")
    within = {"content-type": "application/json", "content-length": str(LIMIT)}
    assert _sent_through(method, within, b"x" * LIMIT) == (None, None)


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_a_method_without_a_body_passes_untouched(method):
    assert _sent_through(method, {"content-type": "text/plain"}, b"") == (None, None)


@pytest.mark.parametrize(
    ("content_type", "taken"),
    [
        ("application/json; charset=utf-8", True),
        ("Application/JSON", True),
        ("application/merge-patch+json", True),
        ("application/problem+json; charset=utf-8", True),
        ("text/plain; format=application/json", False),
        ("application/jsonp", False),
    ],
)
def test_json_is_known_by_its_media_type_whatever_its_parameters_and_case(content_type, taken):
    headers = {"content-type": content_type, "content-length": "2"}
    assert _sent_through("POST", headers, b"{}") == ((None, None) if taken else (415, "unsupported_media_type"))


def test_a_body_of_unknown_size_within_the_limit_reaches_the_platform_whole_once_its_last_part_came():
    """ASGI marks the last part by leaving ``more_body`` out; the rules must not wait for a part after it (a
    server's next message is the client's leaving, which may never come)."""
    parts = [
        {"type": "http.request", "body": b'{"company": ', "more_body": True},
        {"type": "http.request", "body": b'"Acme"}'},
    ]
    reached: list[bytes] = []

    async def platform(scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        reached.append(body)

    async def receive() -> dict[str, Any]:
        if parts:
            return parts.pop(0)
        await asyncio.Event().wait()  # nothing more until the client leaves
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        pass

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/leads",
        "headers": [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")],
    }
    asyncio.run(asyncio.wait_for(RequestBodyRules(platform, max_bytes=LIMIT)(scope, receive, send), 2))
    assert reached == [b'{"company": "Acme"}']
