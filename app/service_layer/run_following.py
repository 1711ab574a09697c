"""Following a question's run on a socket: whose run it is, and from where its events are read (the resume rules).

The socket carries out what is decided here: send one last frame, or follow a
stream from a seq. A run that is not the caller's (a colleague's, another
company's, one whose events are no longer kept) gets one answer, so none is
told apart from the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.adapters.event_stream import EventStream, feed_key, stream_key
from app.domain import assistant_events as ev
from app.domain.errors import DomainError
from app.service_layer.principal import Principal


@dataclass(frozen=True, slots=True)
class Following:
    """What the socket does: send ``reply`` and stop, or follow ``stream`` from after ``after_seq``."""

    reply: dict[str, Any] | None = None
    stream: str = ""
    after_seq: int = -1


def from_the_start(principal: Principal, run_id: str) -> Following:
    """A run just asked for: all of its events."""
    return Following(stream=stream_key(principal.company_id, run_id))


def notifications_stream(principal: Principal) -> str:
    """The caller's own notifications."""
    return feed_key(principal.company_id, principal.user_id)


async def resumed(events: EventStream, principal: Principal, run_id: str, after_seq: int) -> Following:
    """Follows one of the caller's runs from ``after_seq``; past its end, answers with the end.

    Raises:
        DomainError: ``after_seq`` is past the last event of a run still under way.
    """
    if await events.owner(principal.company_id, run_id) != str(principal.user_id):
        return Following(reply=ev.resume_unavailable(run_id))
    key = stream_key(principal.company_id, run_id)
    last = await events.last(key)
    if last is not None and after_seq >= last["seq"]:
        if last["type"] in ev.TERMINAL:
            return Following(reply=last)
        if after_seq > last["seq"]:
            raise DomainError(f"this run has reached seq {last['seq']}; after_seq cannot be past it", field="after_seq")
    return Following(stream=key, after_seq=after_seq)
