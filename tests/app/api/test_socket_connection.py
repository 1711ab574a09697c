"""One client's connection, apart from any network: every message answered on the outbox whatever goes wrong
handling it, a session ended mid-way closes it with 1008 and why, finished runs stop being followed, the
outbox past its bound marks the client too slow, closing stops every follow, and the socket's end stops the
session watch."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from app.adapters.open_connections import OpenConnections
from app.domain.clock import utc_now
from app.domain.errors import DependencyUnavailable, Unauthenticated
from app.domain.roles import Role
from app.entrypoints.ws import assistant as socket_module
from app.entrypoints.ws.assistant import Connection, FrameRefused, Outbox, SessionChanges, SessionClosed
from app.service_layer.principal import Principal, Session

PRINCIPAL = Principal(user_id=uuid.uuid4(), company_id=uuid.uuid4(), role=Role.OWNER)


@dataclass
class Follower:
    name: str
    finished: bool


class FanOut:
    def __init__(self) -> None:
        self.unfollowed: list[Any] = []
        self.watching = True

    def watch_sessions(self, company_id: Any, user_id: Any, wake: Any) -> Any:
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


def _watch() -> SessionChanges:
    return SessionChanges(asyncio.Event(), lambda: None)


def _connection() -> Connection:
    return Connection(Session("token", PRINCIPAL), Platform(), Outbox(10), _watch())  # type: ignore[arg-type]


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


def test_closing_stops_every_follow():
    connection = _connection()
    followers = [Follower("a", finished=False), Follower("b", finished=True)]
    connection.followers = list(followers)
    connection.close()
    fanout = connection.platform.fanout
    assert fanout.unfollowed == followers  # type: ignore[attr-defined]


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


class Tokens:
    def verify(self, token: str) -> Any:
        return SimpleNamespace(
            expires_at=utc_now() + timedelta(hours=1), company_id=PRINCIPAL.company_id, user_id=PRINCIPAL.user_id
        )


class FollowingFanOut(FanOut):
    async def follow_from_now(self, stream: str, push: Any, last_seq: Any) -> Follower:
        return Follower(stream, finished=False)


class SlowClientPlatform:
    """What the socket needs of the platform: a caller taken at their word, an outbox of 3 messages."""

    def __init__(self) -> None:
        self.settings = SimpleNamespace(assistant_outbox_limit=3)
        self.tokens = Tokens()
        self.fanout = FollowingFanOut()
        self.open_connections = OpenConnections(per_person=10)

    async def aio(self, work: Any, **_: Any) -> Principal:
        return PRINCIPAL


class ClientThatNeverReads:
    """Sends the given messages, then nothing; reads nothing, not even the close frame."""

    def __init__(self, platform: SlowClientPlatform, messages: int) -> None:
        self.app = SimpleNamespace(state=SimpleNamespace(platform=platform))
        self.headers = {"authorization": "Bearer a-token"}
        self.query_params: dict[str, str] = {}
        self.frames = [{"type": "websocket.receive", "text": '{"type": "cancel"}'} for _ in range(messages)]
        self.closed: list[tuple[int, str]] = []

    async def accept(self) -> None:
        pass

    async def receive(self) -> dict[str, Any]:
        if self.frames:
            return self.frames.pop(0)
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def send_text(self, text: str) -> None:
        await asyncio.Event().wait()  # the client never reads

    async def close(self, code: int = 1000, reason: str = "") -> None:
        self.closed.append((code, reason))
        await asyncio.Event().wait()  # nor takes the close frame


def test_a_client_that_reads_too_slowly_is_closed_with_1013_given_two_seconds_and_nothing_is_left_running(monkeypatch):
    async def answer(message: Any, connection: Connection) -> None:
        connection.outbox.reply({"type": "error", "code": "nothing", "data": {}})

    monkeypatch.setattr(socket_module, "handle", answer)
    platform = SlowClientPlatform()
    client = ClientThatNeverReads(platform, messages=10)

    async def serve() -> tuple[float, list[asyncio.Task[Any]]]:
        began = time.monotonic()
        await asyncio.wait_for(socket_module.assistant_socket(client), 10)  # type: ignore[arg-type]
        left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
        return time.monotonic() - began, left

    took, left_running = asyncio.run(serve())
    assert client.closed == [(1013, "you read too slowly; resume from your last event")]
    assert 1.6 < took < 2.6, f"the close frame was waited for {took:.2f} s, not 2"
    assert left_running == []
    assert platform.fanout.watching is False, "the session's watch ends with the socket"


class ExpiringPlatform:
    """A token that expires ``expires_in`` seconds from now; checking the session after that says it ended
    (or, for ``database_away_s`` seconds after the expiry, that the database cannot be asked)."""

    def __init__(self, expires_in: float, database_away_s: float = 0.0) -> None:
        self.expires_at = utc_now() + timedelta(seconds=expires_in)
        self.database_away_until = self.expires_at + timedelta(seconds=database_away_s)
        self.fanout = FanOut()
        self.tokens = SimpleNamespace(verify=lambda token: SimpleNamespace(expires_at=self.expires_at))
        self.checks = 0

    async def aio(self, work: Any, **_: Any) -> Principal:
        self.checks += 1
        if utc_now() < self.expires_at:
            return PRINCIPAL
        if utc_now() < self.database_away_until:
            raise DependencyUnavailable("database", "the database is unavailable; try again shortly")
        raise Unauthenticated("invalid access token: Signature has expired")


def _session_ends(platform: ExpiringPlatform) -> tuple[float, SessionClosed]:
    connection = Connection(Session("token", PRINCIPAL), platform, Outbox(10), _watch())  # type: ignore[arg-type]

    async def wait() -> tuple[float, SessionClosed]:
        began = time.monotonic()
        with pytest.raises(SessionClosed) as closed:
            await asyncio.wait_for(connection.session_ends(), 10)
        return time.monotonic() - began, closed.value

    return asyncio.run(wait())


def test_a_token_that_expires_closes_the_connection_at_once_checked_at_expiry():
    platform = ExpiringPlatform(expires_in=0.3)
    took, closed = _session_ends(platform)
    assert (closed.code, closed.reason) == (1008, "invalid access token: Signature has expired")
    assert 0.3 <= took < 0.8, f"closed {took:.2f} s after the connection began, the token lasting 0.3 s"
    assert platform.checks == 1, "checked as it opened (test_session_watch_start), then once when the token expires"


def test_with_the_database_away_at_expiry_the_session_is_checked_again_every_twentieth_of_a_second():
    platform = ExpiringPlatform(expires_in=0.2, database_away_s=0.5)
    took, closed = _session_ends(platform)
    assert closed.code == 1008 and took < 1.5
    assert 5 <= platform.checks <= 15, f"{platform.checks} checks in the half second the database was away"


def test_a_frame_of_65536_characters_is_read_and_one_more_closes_the_connection_with_1009():
    """The socket's own limit, whatever the server in front of it allows (the stack's uvicorn refuses larger
    frames itself)."""
    frame = '{"type": "x", "pad": "' + "y" * (65_536 - 24) + '"}'
    assert len(frame) == 65_536
    assert socket_module._message_of({"text": frame})["type"] == "x"
    longer = frame[:-2] + 'y"}'
    with pytest.raises(FrameRefused) as refused:
        socket_module._message_of({"text": longer})
    assert (refused.value.code, refused.value.reason) == (1009, "a message may have at most 65536 bytes")


def test_a_token_no_longer_good_when_the_watch_begins_closes_the_connection_with_1008_and_why():
    platform = ExpiringPlatform(expires_in=60)

    def refused(token: str) -> Any:
        raise Unauthenticated("invalid access token: Signature verification failed")

    platform.tokens = SimpleNamespace(verify=refused)
    took, closed = _session_ends(platform)
    assert (closed.code, closed.reason) == (1008, "invalid access token: Signature verification failed")
    assert took < 1, "closed at once"
    assert platform.checks == 0
