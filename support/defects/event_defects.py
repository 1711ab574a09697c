"""Defects in what reaches people live, and in what the cache hands out."""

from __future__ import annotations

import uuid
from dataclasses import replace as with_fields
from typing import Any

from app import bootstrap
from app.adapters.event_stream import EventStream
from app.domain.clock import utc_now
from app.service_layer import run_following
from app.service_layer.agent_runtime import AgentRuntime
from support.defects.planting import replace


def assistant_events_out_of_order() -> None:
    """The assistant's first "thinking" event is appended after the event that follows it."""
    original = EventStream.append_all
    held: dict[str, dict[str, Any]] = {}

    async def append_all(self: EventStream, company_id: Any, events: list[dict[str, Any]], **options: Any) -> bool:
        run_id = events[0]["run_id"]
        if events[0]["type"] == "agent_thinking" and events[0]["seq"] == 1:
            held[run_id] = events[0]
            return True
        done = await original(self, company_id, events, **options)
        if run_id in held:
            await original(self, company_id, [held.pop(run_id)], **options)
        return done

    replace(EventStream, "append_all", append_all)


def run_appends_unserialised() -> None:
    """A run's events take their seq without waiting for the event before them to be appended."""

    async def emit_all(
        self: AgentRuntime, run: Any, events: list[tuple[str, dict[str, Any], str | None]], *, opens: bool = False
    ) -> None:
        envelopes = run.events.prepare_all(events, utc_now())
        for envelope in envelopes:
            run.events.record(envelope)
        await self._stream.append_all(
            run.principal.company_id,
            envelopes,
            lease_seconds=self._lease,
            opened_by=run.principal.user_id if opens else None,
        )

    replace(AgentRuntime, "_emit_all", emit_all)


def run_followed_by_another_user() -> None:
    """Resuming a run checks that it exists in the caller's company, not that it is the caller's own."""
    original = run_following.resumed

    async def resumed(events: Any, principal: Any, run_id: str, after_seq: int) -> Any:
        owner = await events.owner(principal.company_id, run_id)
        if owner is not None:
            principal = with_fields(principal, user_id=uuid.UUID(owner))
        return await original(events, principal, run_id, after_seq)

    replace(run_following, "resumed", resumed)


def report_cache_never_invalidated() -> None:
    """Cached reports are keyed without the tenant's data version: a payment leaves them stale."""
    replace(bootstrap, "company_data_version", lambda engine, company_id: 0)
