"""The user's WebSocket: the assistant's runs (ask, follow, resume, cancel) and live notifications.

Client messages: ``{"type": "ask", "text", "thread_id"?}``, ``{"type": "resume",
"run_id", "after_seq"}``, ``{"type": "cancel", "run_id"}``. The server answers an
ask with ``{"type": "accepted", "run_id", "thread_id"}`` and then sends the
run's events; a refused message gets ``{"type": "error", "code", "data": {code,
message, field}}`` (``busy`` adds ``retry_after_s``). The token comes in the
Authorization header (or ``access_token`` query for browsers); without a valid
one the socket is closed with 1008 and a reason (1013 when the platform cannot
check it now). A frame that cannot be a
message closes the socket with a reason: 1003 binary, 1007 not JSON, 1009 too
big. Everything sent goes through one bounded outbox; a client that reads too
slowly for it is closed with 1013 and a reason, and may resume.

The session is checked again before every message, and at once whenever any
instance says the person's sessions changed (a sign-out, a role change, a
removal) or the token expires: a session that has ended closes the socket with
1008 and the reason (runs in flight check it again themselves before each tool
and before storing their answer). A role change keeps the socket open; what is
asked from then on is done with the new role.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, WebSocket, status

from app.bootstrap import Platform
from app.domain.clock import utc_now
from app.domain.errors import DependencyUnavailable, DomainError, NotFound, Unauthenticated
from app.domain.text_rules import text_problem
from app.service_layer import run_following, tenancy
from app.service_layer.agent_runtime import Busy
from app.service_layer.principal import Principal, Session

router = APIRouter()
log = logging.getLogger("app.assistant.socket")
MAX_FRAME_BYTES = 65_536
QUESTION_CHARACTERS = 4000


class FrameRefused(Exception):
    """A frame that is not a message at all: the connection is closed with ``code`` and ``reason``."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class Outbox:
    """What is waiting to be sent to one client, bounded: past ``limit`` the client is too slow."""

    def __init__(self, limit: int) -> None:
        self.queue: asyncio.Queue[str] = asyncio.Queue(maxsize=limit)
        self.overflowed = asyncio.Event()

    def push(self, text: str) -> None:
        """Queues ``text``; never waits. When full, marks the outbox overflowed (and drops ``text``)."""
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            self.overflowed.set()

    def reply(self, message: dict[str, Any]) -> None:
        self.push(json.dumps(message))

    async def send_forever(self, socket: WebSocket) -> None:
        while True:
            await socket.send_text(await self.queue.get())


class SessionClosed(FrameRefused):
    """The caller's session has ended: the connection is closed with 1008 and why."""

    def __init__(self, reason: str) -> None:
        super().__init__(status.WS_1008_POLICY_VIOLATION, reason[:120])


@dataclass(frozen=True, slots=True)
class SessionChanges:
    """Set (``changed``) whenever any instance says the person's sessions changed, until ``stop``."""

    changed: asyncio.Event
    stop: Callable[[], None]


async def opened_session(platform: Platform, token: str) -> tuple[Session, SessionChanges]:
    """The caller's session, checked, and the watch of its changes, begun before the check: a sign-out (or another
    role, a removal) made before the check is refused by it, and one made after is heard, with one check.

    Raises:
        Unauthenticated: the token is no token of ours, or its session has ended.
        DependencyUnavailable: the session cannot be checked now.
    """
    claims = platform.tokens.verify(token)  # whose it says it is (the check below reads it again)
    changed = asyncio.Event()
    watch = SessionChanges(changed, platform.fanout.watch_sessions(claims.company_id, claims.user_id, changed.set))
    try:
        principal = await platform.aio(lambda uow: tenancy.authenticate(uow, platform.tokens, token), autocommit=True)
    except BaseException:
        watch.stop()
        raise
    return Session(token, principal), watch


async def _authenticate(socket: WebSocket, platform: Platform) -> tuple[Session, SessionChanges] | None:
    """The caller's session and its watch (``opened_session``), or None after closing the socket with 1008 and the
    reason.

    The handshake is accepted first: a close frame is the only way to give the client a code and a reason.
    """
    await socket.accept()
    header = socket.headers.get("authorization", "")
    token = header[7:] if header.lower().startswith("bearer ") else socket.query_params.get("access_token")
    try:
        if not token:
            raise DomainError("an access token is required")
        return await opened_session(platform, token)
    except DependencyUnavailable as exc:  # not the caller's fault: come back shortly
        await socket.close(code=status.WS_1013_TRY_AGAIN_LATER, reason=exc.message[:120])
    except DomainError as exc:
        await socket.close(code=status.WS_1008_POLICY_VIOLATION, reason=exc.message[:120])
    return None


@router.websocket("/api/v1/assistant/ws")
async def assistant_socket(socket: WebSocket) -> None:
    platform: Platform = socket.app.state.platform
    opened = await _authenticate(socket, platform)
    if opened is None:
        return
    session, watch = opened
    principal = session.principal
    try:
        if not platform.open_connections.take(principal.company_id, principal.user_id):
            most = platform.open_connections.per_person
            await socket.close(
                code=status.WS_1008_POLICY_VIOLATION,
                reason=f"you have {most} assistant connections open here already: close one first",
            )
            return
        try:
            await _serve(socket, platform, session, watch)
        finally:
            platform.open_connections.give_back(principal.company_id, principal.user_id)
    finally:
        watch.stop()


async def _serve(socket: WebSocket, platform: Platform, session: Session, watch: SessionChanges) -> None:
    """Serves the signed-in person's connection until it closes."""
    principal = session.principal
    outbox = Outbox(platform.settings.assistant_outbox_limit)
    connection = Connection(session, platform, outbox, watch)
    sender = asyncio.create_task(outbox.send_forever(socket))
    receiver = asyncio.create_task(connection.serve(socket))
    ended = asyncio.create_task(connection.session_ends())
    try:
        connection.followers.append(
            await platform.fanout.follow_from_now(
                run_following.notifications_stream(principal),
                outbox.push,
                lambda: platform.feed.last_seq(principal.company_id, principal.user_id),
            )
        )
        overflow = asyncio.create_task(outbox.overflowed.wait())
        done, _ = await asyncio.wait({sender, receiver, overflow, ended}, return_when=asyncio.FIRST_COMPLETED)
        overflow.cancel()
        if ended in done and not ended.cancelled() and isinstance(closed := ended.exception(), FrameRefused):
            with contextlib.suppress(Exception):
                await socket.close(closed.code, closed.reason)
        elif overflow in done:
            log.warning("closing a client that reads too slowly (%d messages waiting)", outbox.queue.qsize())
            with contextlib.suppress(Exception):  # a client that reads nothing may never take the close frame
                await asyncio.wait_for(socket.close(1013, "you read too slowly; resume from your last event"), 2)
        elif receiver in done and isinstance(refused := receiver.exception(), FrameRefused):
            with contextlib.suppress(Exception):
                await socket.close(refused.code, refused.reason)
    finally:
        connection.close()
        for task in (sender, receiver, ended):
            task.cancel()
        for task in (sender, receiver, ended):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


class Connection:
    """One client's messages: each answered on the outbox, each run followed until its end."""

    def __init__(self, session: Session, platform: Platform, outbox: Outbox, watch: SessionChanges) -> None:
        """``watch``: the session's changes, watched since before its check (``opened_session``)."""
        self.session = session
        self.platform = platform
        self.outbox = outbox
        self.followers: list[Any] = []
        self._session_may_have_changed = watch.changed

    @property
    def principal(self) -> Principal:
        return self.session.principal

    async def refresh(self) -> Principal:
        """The caller as they are now (their current role). Raises SessionClosed when the session has ended."""
        token = self.session.token
        try:
            principal = await self.platform.aio(
                lambda uow: tenancy.authenticate(uow, self.platform.tokens, token), autocommit=True
            )
        except Unauthenticated as ended:
            raise SessionClosed(ended.message) from None
        self.session = Session(token, principal)
        return principal

    async def session_ends(self) -> None:
        """Returns never; raises SessionClosed once the session has ended, checked whenever an instance says
        the person's sessions changed and when the token expires."""
        try:
            expires_at = self.platform.tokens.verify(self.session.token).expires_at
        except Unauthenticated as ended:
            raise SessionClosed(ended.message) from None
        while True:
            left = (expires_at - utc_now()).total_seconds()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._session_may_have_changed.wait(), max(left, 0) + 0.05)
            self._session_may_have_changed.clear()
            with contextlib.suppress(DependencyUnavailable):  # checked again at the next message
                await self.refresh()

    async def follow(self, key: str, after_seq: int, *, ends: bool = True) -> None:
        self.followers.append(await self.platform.fanout.follow(key, after_seq, self.outbox.push, ends=ends))

    def close(self) -> None:
        for follower in self.followers:
            self.platform.fanout.unfollow(follower)

    async def serve(self, socket: WebSocket) -> None:
        """Answers every message until the client goes. Raises FrameRefused for a frame that is no message."""
        while True:
            frame = await socket.receive()
            if frame["type"] == "websocket.disconnect":
                return
            message = _message_of(frame)
            try:
                await handle(message, self)
            except Unauthenticated as ended:  # the session ended since the last message
                raise SessionClosed(ended.message) from None
            except Busy as exc:
                self.outbox.reply(
                    {
                        "type": "error",
                        "code": exc.code,
                        "retry_after_s": exc.retry_after_s,
                        "data": {
                            "code": exc.code,
                            "message": exc.message,
                            "field": None,
                            "retry_after_s": exc.retry_after_s,
                        },
                    }
                )
            except DomainError as exc:
                self.outbox.reply(
                    {
                        "type": "error",
                        "code": exc.code,
                        "data": {"code": exc.code, "message": exc.message, "field": exc.field},
                    }
                )
            except Exception:  # an unexpected failure refuses this message, never the whole connection
                log.exception("assistant socket could not handle %s", str(message)[:200])
                self.outbox.reply(
                    {
                        "type": "error",
                        "code": "internal_error",
                        "data": {
                            "code": "internal_error",
                            "field": None,
                            "message": "the platform could not take this; try again",
                        },
                    }
                )
            self.followers = [f for f in self.followers if not f.finished]


def _message_of(frame: Mapping[str, Any]) -> Any:
    text = frame.get("text")
    if text is None:
        raise FrameRefused(status.WS_1003_UNSUPPORTED_DATA, "binary frames are not accepted; send JSON text")
    if len(text) > MAX_FRAME_BYTES:
        raise FrameRefused(status.WS_1009_MESSAGE_TOO_BIG, f"a message may have at most {MAX_FRAME_BYTES} bytes")
    try:
        return json.loads(text)
    except ValueError:
        raise FrameRefused(status.WS_1007_INVALID_FRAME_PAYLOAD_DATA, "each message must be JSON") from None
    except RecursionError:  # "[[[[..." nested past what the parser follows
        raise FrameRefused(status.WS_1007_INVALID_FRAME_PAYLOAD_DATA, "a message may not nest this deep") from None


async def handle(message: Any, connection: Connection) -> None:
    platform = connection.platform
    if not isinstance(message, dict):
        raise DomainError("each message must be a JSON object", field="type")
    kind = message.get("type")
    run_id: Any
    if kind == "ask":
        text = message.get("text")
        question = text.strip() if isinstance(text, str) else text
        problem = text_problem(question, limit=QUESTION_CHARACTERS)
        if problem is not None or not isinstance(question, str):
            raise DomainError(f"a question {problem}", field="text")
        thread_id = message.get("thread_id")
        if thread_id is not None and not isinstance(thread_id, str):
            raise DomainError("thread_id must be the id of one of your conversations", field="thread_id")
        run_id, thread_id = await platform.assistant.start(connection.session, text=question, thread_id=thread_id)
        connection.outbox.reply({"type": "accepted", "run_id": run_id, "thread_id": thread_id})
        await carry_out(connection, run_following.from_the_start(connection.principal, run_id))
    elif kind == "resume":
        run_id, after = message.get("run_id"), message.get("after_seq", -1)
        if not isinstance(run_id, str) or not run_id:
            raise DomainError("resume needs the run_id of one of your questions", field="run_id")
        if not isinstance(after, int) or isinstance(after, bool) or after < -1:
            raise DomainError("after_seq must be the seq of the last event you have, or -1", field="after_seq")
        await connection.refresh()
        following = await run_following.resumed(connection.platform.events, connection.principal, run_id, after)
        await carry_out(connection, following)
    elif kind == "cancel":
        run_id = message.get("run_id")
        principal = await connection.refresh()
        if not isinstance(run_id, str) or not await platform.assistant.cancel(principal, run_id):
            raise NotFound("no run of yours with that id is running", field="run_id")
    else:
        raise DomainError(f"unknown message type {kind!r}; use ask, resume or cancel", field="type")


async def carry_out(connection: Connection, following: run_following.Following) -> None:
    """Does what the service layer decided: sends the one last frame, or follows the run's stream."""
    if following.reply is not None:
        connection.outbox.reply(following.reply)
    else:
        await connection.follow(following.stream, following.after_seq)
