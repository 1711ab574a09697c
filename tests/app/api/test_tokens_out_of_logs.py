"""A token given in the address never reaches the platform's log, run as uvicorn runs it by default.

A browser gives the assistant's socket its token in the address (``?access_token=``): uvicorn logged that
address as it was, the socket's acceptance at INFO (uvicorn's default level) and every request in its access
log, so whoever reads the logs could act as the person until the token expired. The harness runs the platform at
WARNING without the access log, so no scenario's log ever held those lines; this test runs an instance with
uvicorn's defaults.
"""

from __future__ import annotations

import asyncio

import pytest
import requests
import websockets

from support.clients.paths import Operations
from support.stack.http_service import HttpService
from support.stack.stack import PLATFORM_OPTIONS
from tests.app.api.platform_session import TenantSession

UVICORN_DEFAULTS = ("--log-level", "info", "--access-log")  # as `uvicorn app.main:app` logs, after the harness's


@pytest.fixture
def instance_logging_as_by_default(stack, tmp_path):
    instance = HttpService(
        "platform-default-logging",
        "app.main:app",
        log_dir=tmp_path,
        env=stack.platform.environment,
        ready_path=Operations.READY,
        options=(*PLATFORM_OPTIONS, *UVICORN_DEFAULTS),
    )
    instance.start()
    try:
        yield instance
    finally:
        instance.stop()


def _socket_opened_with_token_in_address(url: str, token: str) -> None:
    async def go() -> None:
        address = url.replace("http://", "ws://") + f"/api/v1/assistant/ws?access_token={token}"
        async with websockets.connect(address, open_timeout=10):
            pass

    asyncio.run(go())


def test_a_token_in_the_address_of_a_socket_or_a_request_is_hidden_in_every_log_line(
    stack, instance_logging_as_by_default
):
    instance = instance_logging_as_by_default
    slug = TenantSession.create(stack, roles=()).slug
    token = requests.post(
        f"{instance.url}/api/v1/auth/token",
        json={"tenant": slug, "email": f"owner@{slug}.example.com", "password": "owner-password"},
        timeout=10,
    ).json()["access_token"]
    _socket_opened_with_token_in_address(instance.url, token)
    requests.get(f"{instance.url}/api/v1/leads?access_token={token}", timeout=10)
    instance.stop()
    log = instance.log_path.read_text()
    assert "assistant/ws?access_token=[hidden]" in log, f"the socket's acceptance is not in the log:\n{log[-2000:]}"
    assert "leads?access_token=[hidden]" in log, f"the request is not in the access log:\n{log[-2000:]}"
    assert token not in log, "a person's access token is in the platform's log: whoever reads it can act as them"
