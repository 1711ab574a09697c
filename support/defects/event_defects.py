"""Defects in what reaches people live, and in what the cache hands out."""

from __future__ import annotations

import uuid
from dataclasses import replace as with_fields
from typing import Any

from app import bootstrap
from app.adapters.event_stream import EventStream
from app.entrypoints.ws import assistant as assistant_socket
from support.defects.planting import replace


def assistant_events_out_of_order() -> None:
    """The assistant's first "thinking" event is published after the event that follows it."""
    original = EventStream.publish
    held: dict[str, dict[str, Any]] = {}

    async def publish(self: EventStream, tenant_id: Any, event: dict[str, Any]) -> None:
        run_id = event["run_id"]
        if event["type"] == "agent_thinking" and event["seq"] == 1:
            held[run_id] = event
            return
        await original(self, tenant_id, event)
        if run_id in held:
            await original(self, tenant_id, held.pop(run_id))

    replace(EventStream, "publish", publish)


def run_followed_by_another_user() -> None:
    """Resuming a run checks that it exists in the caller's company, not that it is the caller's own."""
    original = assistant_socket._handle

    async def handle(message: Any, principal: Any, platform: Any, send: Any, start_following: Any) -> None:
        if isinstance(message, dict) and message.get("type") == "resume" and isinstance(message.get("run_id"), str):
            owner = await platform.events.owner(principal.tenant_id, message["run_id"])
            if owner is not None:
                principal = with_fields(principal, user_id=uuid.UUID(owner))
        await original(message, principal, platform, send, start_following)

    replace(assistant_socket, "_handle", handle)


def report_cache_never_invalidated() -> None:
    """Cached reports are keyed without the tenant's data version: a payment leaves them stale."""
    replace(bootstrap, "tenant_data_version", lambda engine, tenant_id: 0)
