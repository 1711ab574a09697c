"""The language model's answer read as JSON whatever content type its service labels it with: some services say
``text/plain`` or nothing at all (a survivor of the sample: the reader's leniency was never tried)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from aiohttp import web

from app.adapters.model_client import ModelClient
from tests.app.local_http import served

COMPLETION = {
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Here you are."}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 3, "completion_tokens": 3, "total_tokens": 6},
}


class NoCircuit:
    """A circuit that is always closed: each call goes through."""

    async def acall(self, work: Any, counts_as_failure: Any = None) -> Any:
        return await work()


@pytest.mark.parametrize("label", ["application/json", "text/plain", "application/octet-stream"])
def test_an_answer_in_json_is_read_whatever_content_type_the_service_gives_it(label):
    async def answered() -> dict[str, Any]:
        async def completions(_: web.Request) -> web.Response:
            return web.Response(body=json.dumps(COMPLETION).encode(), headers={"Content-Type": label})

        async def asked(address: str) -> dict[str, Any]:
            client = ModelClient(address, model="m", timeout_seconds=5, breaker=NoCircuit(), max_connections=2)  # type: ignore[arg-type]
            try:
                return await client.complete([{"role": "user", "content": "hi"}], [])
            finally:
                await client.aclose()

        app = web.Application()
        app.router.add_post("/v1/chat/completions", completions)
        return await served(app, asked)

    reply = asyncio.run(answered())
    assert reply["message"]["content"] == "Here you are."
