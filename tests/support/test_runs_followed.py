"""A question's events reach nobody but its asker: which run is followed, by whom, and what breaks the rule."""

from __future__ import annotations

import json

import pytest

from support.clients.exchanges import Frame, start_recording, stop_recording
from support.invariants import runs_followed, strangers

REFUSED = {"type": "agent_failed", "run_id": "r1", "data": {"code": "resume_unavailable"}}
STARTED = {"type": "agent_started", "run_id": "r1", "seq": 0, "data": {}}


def _frame(event: dict, person: str = "Sam", company: str | None = "c1") -> Frame:
    return Frame(f"{person}'s connection", person, company, json.dumps(event), "s")


@pytest.fixture
def recorder():
    yield start_recording()
    stop_recording()


def test_the_first_run_whose_events_reached_a_person_is_the_one_followed() -> None:
    frames = [
        _frame({"type": "accepted", "run_id": "r0", "thread_id": "t0"}),  # a reply, not an event
        _frame({**STARTED, "run_id": "r0"}, company=None),  # nobody's company
        _frame({"type": "accepted", "run_id": "r1", "thread_id": "t1"}, "Fiona"),
        _frame({**STARTED, "run_id": "r1"}, "Fiona"),
        _frame({**STARTED, "run_id": "r2"}),
    ]
    assert runs_followed.first_run(frames) == runs_followed.Followed("r1", "Fiona", "c1", "t1")


@pytest.mark.parametrize(
    ("told", "wrong"),
    [
        ([REFUSED], None),
        ([STARTED, REFUSED], "received 1 of its events (agent_started)"),
        ([{"type": "agent_completed", "run_id": "r1", "data": {}}], "was answered"),
        ([{"type": "error", "data": {"code": "not_found"}}], "was answered"),
    ],
)
def test_an_outsider_is_told_the_run_cannot_be_resumed_and_shown_nothing_of_it(told, wrong) -> None:
    said = runs_followed.verdict(told)
    assert said is None if wrong is None else said is not None and said.startswith(wrong)


@pytest.mark.parametrize(
    ("reply", "kept"),
    [
        ({"type": "error", "data": {"code": "not_found", "field": "thread_id"}}, True),
        ({"type": "accepted", "run_id": "r9", "thread_id": "t1"}, False),
        ({"type": "error", "data": {"code": "forbidden"}}, False),  # it exists, and is not theirs: told so
    ],
)
def test_an_outsider_asking_in_a_conversation_not_theirs_is_told_it_does_not_exist(reply, kept) -> None:
    assert (runs_followed.asked_in_verdict([reply]) is None) is kept


def test_the_first_run_is_followed_once_a_scenario_by_the_stranger_and_a_colleague(monkeypatch, recorder) -> None:
    followed: list[tuple[str, str]] = []

    async def told(url: str, token: str, message: dict, *, ends: tuple[str, ...] = (), who: str = "") -> list[dict]:
        if message["type"] == "ask":
            followed.append((token, message["thread_id"]))
            return [{"type": "error", "data": {"code": "not_found"}}]
        followed.append((token, message["run_id"]))
        return [STARTED, REFUSED] if token == "olivia" else [REFUSED]

    monkeypatch.setattr(runs_followed, "_told", told)
    stranger = strangers.Stranger(lambda: "stranger")
    frames = [_frame({"type": "accepted", "run_id": "r1", "thread_id": "t1"}), _frame(STARTED)]
    problems = runs_followed.attempts(
        recorder, frames, "ws://p/ws", stranger, lambda company, person: ("Olivia", "olivia")
    )
    assert followed == [("stranger", "r1"), ("stranger", "t1"), ("olivia", "r1"), ("olivia", "t1")]
    assert problems == [
        "Olivia (a colleague of Sam), following Sam's question (run r1) from its start, received 1 of its events"
        f" (agent_started): {json.dumps(STARTED)}: a question's events reach nobody but its asker"
    ]
    assert runs_followed.attempts(recorder, frames, "ws://p/ws", stranger, lambda c, p: None) == []
    assert len(followed) == 4


def test_no_answer_in_time_makes_no_claim(monkeypatch, recorder) -> None:
    async def silent(url: str, token: str, message: dict, *, ends: tuple[str, ...] = (), who: str = "") -> None:
        return None

    monkeypatch.setattr(runs_followed, "_told", silent)
    stranger = strangers.Stranger(lambda: "stranger")
    assert runs_followed.attempts(recorder, [_frame(STARTED)], "ws://p/ws", stranger, lambda c, p: None) == []


def test_a_run_asked_while_no_colleague_was_signed_in_is_followed_by_one_at_the_scenarios_end(
    monkeypatch, recorder
) -> None:
    followed: list[tuple[str, str]] = []

    async def told(url: str, token: str, message: dict, *, ends: tuple[str, ...] = (), who: str = "") -> list[dict]:
        followed.append((token, message.get("run_id") or message["thread_id"]))
        if message["type"] == "ask":
            return [{"type": "error", "data": {"code": "not_found"}}]
        return [STARTED, REFUSED] if token == "olivia" else [REFUSED]

    monkeypatch.setattr(runs_followed, "_told", told)
    stranger = strangers.Stranger(lambda: "stranger")
    frames = [_frame({"type": "accepted", "run_id": "r1", "thread_id": "t1"}), _frame(STARTED)]
    assert runs_followed.attempts(recorder, frames, "ws://p/ws", stranger, lambda company, person: None) == []
    assert followed == [("stranger", "r1"), ("stranger", "t1")], "no colleague signed in: the stranger alone, now"

    asked_for: list[tuple[str, str]] = []

    def signed_in_now(company: str, person: str) -> tuple[str, str]:
        asked_for.append((company, person))
        return "Olivia", "olivia"

    problems = runs_followed.followed_late(recorder, "ws://p/ws", signed_in_now)
    assert asked_for == [("c1", "Sam")], "a colleague of the asker, in the asker's company"
    assert followed[2:] == [("olivia", "r1"), ("olivia", "t1")]
    assert problems == [
        "Olivia (a colleague of Sam), following Sam's question (run r1) from its start, received 1 of its events"
        f" (agent_started): {json.dumps(STARTED)}: a question's events reach nobody but its asker"
    ]
    assert runs_followed.followed_late(recorder, "ws://p/ws", signed_in_now) == [], "once a scenario"


def test_a_run_followed_by_a_colleague_as_it_was_asked_is_not_followed_again_at_the_end(monkeypatch, recorder) -> None:
    async def told(url: str, token: str, message: dict, *, ends: tuple[str, ...] = (), who: str = "") -> list[dict]:
        return [{"type": "error", "data": {"code": "not_found"}}] if message["type"] == "ask" else [REFUSED]

    monkeypatch.setattr(runs_followed, "_told", told)
    frames = [_frame(STARTED)]
    assert runs_followed.attempts(recorder, frames, "ws://p/ws", None, lambda c, p: ("Olivia", "olivia")) == []
    assert runs_followed.followed_late(recorder, "ws://p/ws", lambda c, p: pytest.fail("signed in again")) == []


def test_what_an_outsider_is_sent_is_held_to_the_rules_of_every_frame(recorder) -> None:
    """An outsider's refusal is a frame the platform sends too: one that is not strict JSON is found even where no
    scenario's person is ever refused."""
    sent = '{"type": "agent_failed", "run_id": "r1", "data": {"code": "resume_unavailable", "left": NaN}}'
    assert _told_by_a_socket_sending(sent) == [json.loads(sent)]
    assert any(
        p.startswith("a frame sent to Cleo (sent by the checks) is not strict JSON") for p in recorder.problems
    ), recorder.problems


def test_what_an_outsider_is_sent_shows_none_of_the_platforms_keys(recorder) -> None:
    """A frame sent to an outsider may show none of the platform's keys the run knows."""
    recorder.keys = ("signing-key-of-the-run",)
    _told_by_a_socket_sending('{"type": "agent_failed", "run_id": "r1", "data": {"code": "signing-key-of-the-run"}}')
    assert "a frame sent to Cleo (sent by the checks) shows one of the platform's keys" in recorder.problems


def _told_by_a_socket_sending(sent: str) -> object:
    """What Cleo, following run r1 as an outsider, is told by a socket that answers with ``sent``."""
    import asyncio

    import websockets

    async def refuse(socket) -> None:
        await socket.recv()
        await socket.send(sent)

    async def followed() -> object:
        async with websockets.serve(refuse, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            follow = {"type": "resume", "run_id": "r1", "after_seq": -1}
            return await runs_followed._told(f"ws://127.0.0.1:{port}", "t", follow, ends=("agent_failed",), who="Cleo")

    return asyncio.run(followed())
