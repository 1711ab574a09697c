"""One client's connection, apart from any network: every message answered on the outbox whatever goes wrong
handling it, a session ended mid-way closes it with 1008 and why, finished runs stop being followed, the
outbox past its bound marks the client too slow, and closing stops every follow and the session watch."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from app.domain.errors import Unauthenticated
from app.domain.roles import Role
from app.entrypoints.ws import assistant as socket_module
from app.entrypoints.ws.assistant import Connection, Outbox, SessionClosed
from app.service_layer.principal import Principal, Session

PRINCIPAL = Principal(user_id=uuid.uuid4(), tenant_id=uuid.uuid4(), role=Role.OWNER)


@dataclass
class Follower:
    name: str
    finished: bool


class FanOut:
    def __init__(self) -> None:
        self.unfollowed: list[Any] = []
        self.watching = True

    def watch_sessions(self, tenant_id: Any, user_id: Any, wake: Any) -> Any:
        def stop() -> None:
            self.watching = False

        return stop

    def unfollow(self, follower: Any) -> None:
        self.unfollowed.append(follower)


class Platform:
    def __init__(self) -> None:
        self.fanout = FanOut()


class Frames:
    """A socket that hands over the given text frames, then the client's goodbye."""

    def __init__(self, *texts: str) -> None:
        self.frames = [{"type": "websocket.receive", "text": t} for t in texts] + [{"type": "websocket.disconnect"}]

    async def receive(self) -> dict[str, Any]:
        return self.frames.pop(0)


def _connection() -> Connection:
    return Connection(Session("token", PRINCIPAL), Platform(), Outbox(10))  # type: ignore[arg-type]


def _sent(connection: Connection) -> list[dict[str, Any]]:
    queue = connection.outbox.queue
    return [json.loads(queue.get_nowait()) for _ in range(queue.qsize())]


def test_a_message_that_fails_unexpectedly_is_refused_and_the_connection_goes_on(monkeypatch):
    async def broken(message: Any, connection: Connection) -> None:
        if message == {"type": "first"}:
            raise RuntimeError("a bug")

    monkeypatch.setattr(socket_module, "handle", broken)
    connection = _connection()
    asyncio.run(connection.serve(Frames('{"type": "first"}', '{"type": "second"}')))  # type: ignore[arg-type]
    assert _sent(connection) == [
        {
            "type": "error",
            "code": "internal_error",
            "data": {"code": "internal_error", "field": None, "message": "the platform could not take this; try again"},
        }
    ]


def test_a_session_that_ended_since_the_last_message_closes_the_connection_with_1008_and_why(monkeypatch):
    async def signed_out(message: Any, connection: Connection) -> None:
        raise Unauthenticated("this session has been signed out")

    monkeypatch.setattr(socket_module, "handle", signed_out)
    connection = _connection()
    with pytest.raises(SessionClosed) as closed:
        asyncio.run(connection.serve(Frames('{"type": "ask", "text": "hi"}')))  # type: ignore[arg-type]
    assert (closed.value.code, closed.value.reason) == (1008, "this session has been signed out")
    assert _sent(connection) == []


def test_after_each_message_finished_runs_stop_being_followed_and_the_others_go_on(monkeypatch):
    async def nothing(message: Any, connection: Connection) -> None:
        pass

    monkeypatch.setattr(socket_module, "handle", nothing)
    connection = _connection()
    ended, running = Follower("ended", finished=True), Follower("running", finished=False)
    connection.followers = [ended, running]
    asyncio.run(connection.serve(Frames('{"type": "cancel"}')))  # type: ignore[arg-type]
    assert connection.followers == [running]


def test_closing_stops_every_follow_and_the_session_watch():
    connection = _connection()
    followers = [Follower("a", finished=False), Follower("b", finished=True)]
    connection.followers = list(followers)
    connection.close()
    fanout = connection.platform.fanout
    assert fanout.unfollowed == followers  # type: ignore[attr-defined]
    assert fanout.watching is False  # type: ignore[attr-defined]


def test_an_outbox_past_its_bound_keeps_what_it_has_and_marks_the_client_too_slow():
    async def fill() -> tuple[list[str], bool]:
        outbox = Outbox(2)
        for text in ("one", "two", "three"):
            outbox.push(text)
        return [outbox.queue.get_nowait() for _ in range(outbox.queue.qsize())], outbox.overflowed.is_set()

    assert asyncio.run(fill()) == (["one", "two"], True)


def test_an_outbox_within_its_bound_is_not_too_slow():
    async def fill() -> bool:
        outbox = Outbox(2)
        outbox.push("one")
        outbox.push("two")
        return outbox.overflowed.is_set()

    assert asyncio.run(fill()) is False
