"""The user's WebSocket: the assistant's runs (ask, follow, resume, cancel) and live notifications.

Client messages: ``{"type": "ask", "text", "thread_id"?}``, ``{"type": "resume",
"run_id", "after_seq"}``, ``{"type": "cancel", "run_id"}``. The server answers an
ask with ``{"type": "accepted", "run_id", "thread_id"}`` and then sends the
run's events; a refused message gets ``{"type": "error", "data": {code, message}}``.
The token comes in the Authorization header (or ``access_token`` query for
browsers); without a valid one the socket is closed with 1008 and a reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import anyio
from fastapi import APIRouter, WebSocket, WebSocketDisconnect, status

from app.bootstrap import Platform
from app.domain.errors import DomainError, NotFound
from app.adapters.notifications_repository import feed_key
from app.service_layer import tenancy
from app.service_layer.event_fanout import END
from app.service_layer.principal import Principal

router = APIRouter()
log = logging.getLogger("app.assistant.socket")


async def _authenticate(socket: WebSocket, platform: Platform) -> Principal | None:
    """The caller, or None after closing the socket with 1008 and the reason.

    The handshake is accepted first: a close frame is the only way to give the client a code and a reason.
    """
    await socket.accept()
    header = socket.headers.get("authorization", "")
    token = header[7:] if header.lower().startswith("bearer ") else socket.query_params.get("access_token")
    try:
        if not token:
            raise DomainError("an access token is required")
        return await anyio.to_thread.run_sync(tenancy.authenticate, platform.uow, platform.tokens, token)
    except DomainError as exc:
        await socket.close(code=status.WS_1008_POLICY_VIOLATION, reason=exc.message[:120])
        return None


@router.websocket("/api/v1/assistant/ws")
async def assistant_socket(socket: WebSocket) -> None:
    platform: Platform = socket.app.state.platform
    principal = await _authenticate(socket, platform)
    if principal is None:
        return
    sending = asyncio.Lock()
    followers: set[asyncio.Task] = set()

    async def send(message: dict[str, Any]) -> None:
        async with sending:
            await socket.send_json(message)

    async def follow(run_id: str | None, after_seq: int) -> None:
        """A run's events, or (run_id None) the user's own notifications as they arrive."""
        follower = await (platform.fanout.follow(principal.tenant_id, run_id, after_seq) if run_id else
                          platform.fanout.follow_key(feed_key(principal.tenant_id, principal.user_id), after_seq))
        try:
            while (event := await follower.queue.get()) is not END:
                await send(event)
        finally:
            platform.fanout.unfollow(follower)

    def start_following(run_id: str, after_seq: int) -> None:
        task = asyncio.create_task(follow(run_id, after_seq))
        followers.add(task)
        task.add_done_callback(followers.discard)

    start_following(None, await anyio.to_thread.run_sync(platform.feed.last_seq, principal.tenant_id,
                                                         principal.user_id))
    try:
        while True:
            message = await socket.receive_json()
            try:
                await _handle(message, principal, platform, send, start_following)
            except DomainError as exc:
                await send({"type": "error", "data": {"code": exc.code, "message": exc.message, "field": exc.field}})
            except Exception:  # an unexpected failure refuses this message, never the whole connection
                log.exception("assistant socket could not handle %s", str(message)[:200])
                await send({"type": "error", "data": {"code": "internal_error", "field": None,
                                                      "message": "the platform could not take this; try again"}})
    except (WebSocketDisconnect, RuntimeError, ValueError):
        pass  # the client went away or sent something that is not JSON; runs go on without it
    finally:
        running = list(followers)  # done-callbacks remove tasks from the set as they finish
        for task in running:
            task.cancel()
        for task in running:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def _handle(message: Any, principal: Principal, platform: Platform, send, start_following) -> None:
    if not isinstance(message, dict):
        raise DomainError("each message must be a JSON object", field="type")
    kind = message.get("type")
    if kind == "ask":
        text = message.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > 4000:
            raise DomainError("a question needs text (1 to 4000 characters)", field="text")
        run_id, thread_id = await platform.assistant.start(principal, text=text.strip(),
                                                           thread_id=message.get("thread_id"))
        await send({"type": "accepted", "run_id": run_id, "thread_id": thread_id})
        start_following(run_id, -1)
    elif kind == "resume":
        run_id, after = message.get("run_id"), message.get("after_seq", -1)
        if not isinstance(run_id, str) or not isinstance(after, int):
            raise DomainError("resume needs a run_id and an integer after_seq", field="run_id")
        owner = await platform.events.owner(principal.tenant_id, run_id)
        if owner is None and not await platform.events.exists(principal.tenant_id, run_id):
            await send({"v": 1, "type": "agent_failed", "run_id": run_id, "thread_id": None, "seq": None,
                        "event_id": None, "ts": None, "tool_call_id": None,
                        "data": {"code": "resume_unavailable", "message": "this run's events are no longer kept",
                                 "retryable": False}})
            return
        if owner != str(principal.user_id):  # someone else's run does not exist, as far as this caller knows
            raise NotFound("run not found", field="run_id")
        start_following(run_id, after)
    elif kind == "cancel":
        if not platform.assistant.cancel(principal, str(message.get("run_id"))):
            raise DomainError("no run of yours with that id is running here", field="run_id")
    else:
        raise DomainError(f"unknown message type {kind!r}; use ask, resume or cancel", field="type")
