"""The yardstick: a bare WebSocket that speaks the assistant's protocol, and a bare HTTP endpoint, with no work
behind either.

    .venv/bin/python -m uvicorn bench.bare_socket:app --port 8001

A plain ASGI app (no framework, no database, no Redis, no model): it accepts any
token, answers an ``ask`` with ``accepted`` and, at once, the eight events of a
two-tool run in the platform's envelope; a GET under ``/api/`` with a list of one
deal-sized record. Served by the same uvicorn, with the
same options, and driven by the same load client as the platform, it measures
what the client, the machine and the socket cost, so the benchmark can give the
platform's figures as ratios of it.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

TOOLS = ("open_pipeline_summary", "overdue_invoices")


def two_tool_run(question: str) -> list[dict[str, Any]]:
    run_id, thread_id, now = uuid.uuid4().hex, str(uuid.uuid4()), datetime.now(UTC).isoformat()
    calls = [f"call_{uuid.uuid4().hex[:16]}" for _ in TOOLS]
    stages: list[tuple[str, str | None, dict[str, Any]]] = [
        ("agent_started", None, {"input": question}),
        ("agent_thinking", None, {"text": "Reading the question"}),
        *[("tool_executing", call, {"tool": tool, "args": {}}) for call, tool in zip(calls, TOOLS, strict=False)],
        *[("tool_completed", call, {"status": "ok", "result": {"summary": "nothing"}}) for call in calls],
        ("agent_thinking", None, {"text": "Reading what the tools found"}),
        ("agent_completed", None, {"answer": "Here is what I found.", "usage": {"total_tokens": 1}}),
    ]
    return [
        {
            "v": 1,
            "type": kind,
            "run_id": run_id,
            "thread_id": thread_id,
            "seq": seq,
            "event_id": f"{run_id}:{seq}",
            "ts": now,
            "tool_call_id": call,
            "data": data,
        }
        for seq, (kind, call, data) in enumerate(stages)
    ]


def one_deal() -> dict[str, Any]:
    """A list's one record, of the size and shape of a company's deal as the platform lists it."""
    return {
        "id": str(uuid.uuid4()),
        "tenant_id": str(uuid.uuid4()),
        "lead_id": str(uuid.uuid4()),
        "client_id": None,
        "name": "Globex",
        "amount": "1000.00",
        "currency": "EUR",
        "stage": "prospecting",
        "owner_id": str(uuid.uuid4()),
        "lost_reason": None,
        "created_at": datetime.now(UTC).isoformat(),
    }


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] == "http":  # the bare endpoint under the API's prefix; readiness anywhere else
        bare = scope["path"].startswith("/api/")
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json" if bare else b"text/plain")],
            }
        )
        await send({"type": "http.response.body", "body": json.dumps([one_deal()]).encode() if bare else b"up"})
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    while (message := await receive())["type"] == "websocket.receive":
        asked = json.loads(message.get("text") or "{}")
        if asked.get("type") != "ask":
            continue
        events = two_tool_run(str(asked.get("text", "")))
        await send(
            {
                "type": "websocket.send",
                "text": json.dumps(
                    {"type": "accepted", "run_id": events[0]["run_id"], "thread_id": events[0]["thread_id"]}
                ),
            }
        )
        for event in events:
            await send({"type": "websocket.send", "text": json.dumps(event)})
