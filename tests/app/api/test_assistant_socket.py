"""The assistant's WebSocket refuses callers without a valid token with 1008 and a reason."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from support.areas.tenancy.tokens import signed_with_another_key
from tests.app.api.platform_session import TenantSession


def _close_of(url: str, headers: dict[str, str]) -> tuple[int, str]:
    async def connect() -> tuple[int, str]:
        async with websockets.connect(url, additional_headers=headers) as socket:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await socket.recv()
            return closed.value.rcvd.code, closed.value.rcvd.reason

    return asyncio.run(connect())


@pytest.fixture(scope="module")
def socket_url(stack) -> str:
    return stack.env["PLATFORM_URL"].replace("http", "ws", 1) + "/api/v1/assistant/ws"


def test_socket_without_token_closes_with_policy_violation_and_reason(socket_url):
    assert _close_of(socket_url, {}) == (1008, "an access token is required")


def test_socket_with_foreign_signed_token_closes_with_policy_violation(socket_url, stack):
    token = TenantSession.create(stack, roles=()).owner._http.headers["Authorization"][7:]
    code, reason = _close_of(socket_url, {"Authorization": f"Bearer {signed_with_another_key(token)}"})
    assert code == 1008 and reason.startswith("invalid access token")


def test_socket_answers_an_unknown_message_with_an_error_naming_the_field(socket_url, stack):
    token = TenantSession.create(stack, roles=()).owner._http.headers["Authorization"]

    async def exchange() -> dict:
        async with websockets.connect(socket_url, additional_headers={"Authorization": token}) as socket:
            await socket.send('{"type": "dance"}')
            return json.loads(await socket.recv())

    reply = asyncio.run(exchange())
    assert (reply["type"], reply["data"]["field"]) == ("error", "type")
