"""The assistant's WebSocket refuses callers without a valid token with 1008 and a reason."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json

import pytest
import websockets

from support.clients.session_tokens import signed_with_another_key
from tests.app.api.platform_session import TenantSession


def _close_of(url: str, headers: dict[str, str]) -> tuple[int, str]:
    async def connect() -> tuple[int, str]:
        async with websockets.connect(url, additional_headers=headers) as socket:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await socket.recv()
            return closed.value.rcvd.code, closed.value.rcvd.reason

    return asyncio.run(connect())


@pytest.fixture(scope="module")
def socket_url(stack) -> str:
    return stack.env["PLATFORM_URL"].replace("http", "ws", 1) + "/api/v1/assistant/ws"


def test_socket_without_token_closes_with_policy_violation_and_reason(socket_url):
    assert _close_of(socket_url, {}) == (1008, "an access token is required")


def test_socket_with_foreign_signed_token_closes_with_policy_violation(socket_url, stack):
    token = TenantSession.create(stack, roles=()).owner._http.headers["Authorization"][7:]
    code, reason = _close_of(socket_url, {"Authorization": f"Bearer {signed_with_another_key(token)}"})
    assert code == 1008 and reason.startswith("invalid access token")


def test_socket_answers_an_unknown_message_with_an_error_naming_the_field(socket_url, stack):
    token = TenantSession.create(stack, roles=()).owner._http.headers["Authorization"]

    async def exchange() -> dict:
        async with websockets.connect(socket_url, additional_headers={"Authorization": token}) as socket:
            await socket.send('{"type": "dance"}')
            return json.loads(await socket.recv())

    reply = asyncio.run(exchange())
    assert (reply["type"], reply["data"]["field"]) == ("error", "type")


def _frame_of(size: int) -> str:
    """An unknown message exactly ``size`` bytes long."""
    frame = '{"type": "dance", "pad": ""}'
    return frame[:-2] + "x" * (size - len(frame)) + '"}'


def test_a_frame_of_exactly_65536_bytes_is_read_and_one_byte_more_is_refused(socket_url, stack):
    token = TenantSession.create(stack, roles=()).owner._http.headers["Authorization"]

    async def send(frame: str) -> tuple[str, object]:
        async with websockets.connect(socket_url, additional_headers={"Authorization": token}, max_size=None) as socket:
            await socket.send(frame)
            try:
                return "reply", json.loads(await socket.recv())
            except websockets.ConnectionClosed as closed:
                return "closed", closed.rcvd.code if closed.rcvd else None

    assert len(_frame_of(65_536).encode()) == 65_536
    kind, reply = asyncio.run(send(_frame_of(65_536)))
    assert kind == "reply" and reply["data"]["field"] == "type", reply
    assert asyncio.run(send(_frame_of(65_537))) == ("closed", 1009)


def test_a_resume_without_after_seq_replays_the_run_from_its_first_event(socket_url, stack):
    token = TenantSession.create(stack, roles=()).owner._http.headers["Authorization"]

    async def ask_then_resume() -> tuple[list[dict], list[dict]]:
        async with websockets.connect(socket_url, additional_headers={"Authorization": token}) as socket:
            await socket.send(json.dumps({"type": "ask", "text": "What is my open pipeline?"}))
            asked = []
            while not asked or asked[-1].get("type") not in ("agent_completed", "agent_failed"):
                frame = json.loads(await asyncio.wait_for(socket.recv(), 30))
                if "seq" in frame:
                    asked.append(frame)
                elif frame.get("type") == "accepted":
                    run_id = frame["run_id"]
        async with websockets.connect(socket_url, additional_headers={"Authorization": token}) as socket:
            await socket.send(json.dumps({"type": "resume", "run_id": run_id}))
            replayed = []
            while not replayed or replayed[-1].get("type") not in ("agent_completed", "agent_failed"):
                replayed.append(json.loads(await asyncio.wait_for(socket.recv(), 30)))
        return asked, replayed

    asked, replayed = asyncio.run(ask_then_resume())
    assert [e["seq"] for e in replayed] == [e["seq"] for e in asked]
    assert replayed[0]["seq"] == 0 and replayed[0]["type"] == "agent_started"


@pytest.mark.parametrize("past_the_end", [0, 3], ids=["from its last event", "from past its last event"])
def test_a_resume_of_an_ended_run_with_all_its_events_is_told_its_end_again_and_nothing_else(
    socket_url, stack, past_the_end
):
    """A client that kept every event, the end included (or says it has more), reconnects: it is told how the run
    ended, once, rather than left waiting on a run that sends nothing more."""
    token = TenantSession.create(stack, roles=()).owner._http.headers["Authorization"]

    async def ask_then_resume_at_the_end() -> tuple[dict, list[dict]]:
        async with websockets.connect(socket_url, additional_headers={"Authorization": token}) as socket:
            await socket.send(json.dumps({"type": "ask", "text": "What is my open pipeline?"}))
            last: dict = {}
            while last.get("type") not in ("agent_completed", "agent_failed"):
                frame = json.loads(await asyncio.wait_for(socket.recv(), 30))
                last = frame if "seq" in frame else last
        run_id = last["run_id"]
        async with websockets.connect(socket_url, additional_headers={"Authorization": token}) as socket:
            after = last["seq"] + past_the_end
            await socket.send(json.dumps({"type": "resume", "run_id": run_id, "after_seq": after}))
            told = [json.loads(await asyncio.wait_for(socket.recv(), 5))]
            with contextlib.suppress(TimeoutError):  # nothing more comes
                told.append(json.loads(await asyncio.wait_for(socket.recv(), 1)))
        return last, told

    last, told = asyncio.run(ask_then_resume_at_the_end())
    assert told == [last], "the run's end, as it was sent, and nothing after it"


@pytest.mark.parametrize("run_id", ["", 42, None])
def test_a_resume_without_a_run_id_of_text_is_refused_naming_it(socket_url, stack, run_id):
    token = TenantSession.create(stack, roles=()).owner._http.headers["Authorization"]

    async def resume() -> dict:
        async with websockets.connect(socket_url, additional_headers={"Authorization": token}) as socket:
            await socket.send(json.dumps({"type": "resume", "run_id": run_id}))
            return json.loads(await asyncio.wait_for(socket.recv(), 10))

    reply = asyncio.run(resume())
    assert (reply["type"], reply["data"]["field"]) == ("error", "run_id"), reply


def _token(stack) -> str:
    return TenantSession.create(stack, roles=()).owner._http.headers["Authorization"]


def _replies(socket_url: str, token: str, *messages: dict, until: str = "reply") -> list[dict]:
    """Sends each message and reads one reply to each (with ``until="end"``: reads the last one's run to its end)."""

    async def exchange() -> list[dict]:
        async with websockets.connect(socket_url, additional_headers={"Authorization": token}) as socket:
            replies = []
            for message in messages:
                await socket.send(json.dumps(message))
                replies.append(json.loads(await asyncio.wait_for(socket.recv(), 10)))
            while until == "end" and replies[-1].get("type") not in ("agent_completed", "agent_failed", "error"):
                replies.append(json.loads(await asyncio.wait_for(socket.recv(), 30)))
            return replies

    return asyncio.run(exchange())


def test_a_question_of_4000_characters_is_taken_and_one_of_4001_is_refused_naming_the_text(socket_url, stack):
    token = _token(stack)
    [taken] = _replies(socket_url, token, {"type": "ask", "text": "pipeline? " + "x" * 3990})
    [refused] = _replies(socket_url, token, {"type": "ask", "text": "pipeline? " + "x" * 3991})
    assert taken["type"] == "accepted", taken
    assert (refused["type"], refused["data"]["field"]) == ("error", "text"), refused


def test_a_question_is_asked_without_the_spaces_around_it(socket_url, stack):
    replies = _replies(
        socket_url, _token(stack), {"type": "ask", "text": "   What is my open pipeline?  \n"}, until="end"
    )
    started = next(r for r in replies if r.get("type") == "agent_started")
    assert started["data"]["input"] == "What is my open pipeline?"


@pytest.mark.parametrize("text", ["   ", 42, None])
def test_a_question_that_is_no_text_is_refused_naming_the_text(socket_url, stack, text):
    [reply] = _replies(socket_url, _token(stack), {"type": "ask", "text": text})
    assert (reply["type"], reply["data"]["field"]) == ("error", "text"), reply


@pytest.mark.parametrize("after", [-2, "3", True, 1.5])
def test_a_resume_from_a_place_that_is_no_seq_is_refused_naming_after_seq(socket_url, stack, after):
    [reply] = _replies(socket_url, _token(stack), {"type": "resume", "run_id": "r" * 32, "after_seq": after})
    assert (reply["type"], reply["data"]["field"]) == ("error", "after_seq"), reply


def test_a_resume_from_minus_one_is_a_resume_from_the_start(socket_url, stack):
    [reply] = _replies(socket_url, _token(stack), {"type": "resume", "run_id": "r" * 32, "after_seq": -1})
    assert (reply["type"], reply["data"]["code"]) == ("agent_failed", "resume_unavailable"), reply


def test_a_close_reason_longer_than_120_characters_is_cut_to_120(socket_url):
    header = base64.urlsafe_b64encode(json.dumps({"alg": "HS256", "crit": ["x" * 200]}).encode()).rstrip(b"=")
    code, reason = _close_of(socket_url, {"Authorization": f"Bearer {header.decode()}.e30.c2ln"})
    assert code == 1008
    assert reason == ("invalid access token: Unsupported critical extension: " + "x" * 200)[:120]
