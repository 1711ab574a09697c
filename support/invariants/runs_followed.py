"""A question's events, and its conversation, are nobody's but the person who asked it.

A run (the assistant's work on one question) is followed from its start, or resumed after a dropped connection,
by its id (``{"type": "resume", "run_id", "after_seq"}``), and a question is asked in a conversation by its id;
features/tenancy/ownership.feature tries both as a colleague and as another company's person. Here they hold in
every scenario that asks the assistant, whatever the run's end: after each step, the first run whose events
reached one of the scenario's people is followed from its start by the owner of another company (the run's
stranger, ``support.invariants.strangers``) and by a colleague of its asker the scenario has signed in (else,
at the scenario's last step, by one signed in for it: ``followed_late``), each on a connection of their own.
Each must be told the run cannot be resumed (``agent_failed`` naming ``resume_unavailable``, without a seq) and
receive none of its events; and each, asking a question in its conversation, must be told that conversation does
not exist (``not_found``). Once a scenario (two connections each); a connection that cannot be opened, or an answer that does not come within a few seconds (a scenario
stopped the instance), makes no claim.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import websockets

from support.clients.exchanges import Frame, Recorder, current, json_or_none
from support.invariants import frames as frame_rules
from support.invariants.strangers import SHOWN, STRANGER, Stranger
from support.scenario.async_runner import run_async

WAIT_S = 3.0
RUN_ENDS = ("agent_completed", "agent_failed", "error")  # a follow is answered up to one of these
ASKED_IN = "And what else?"  # an outsider's question in a conversation not theirs, refused before it is read
REFUSED = ("agent_failed", "resume_unavailable")
AWAITING_A_COLLEAGUE = "run awaiting a colleague"  # the first run, when no colleague of its asker was signed in


@dataclass(frozen=True)
class Followed:
    """A run of the scenario, and whose it is."""

    run_id: str
    person: str
    company: str
    thread_id: str | None = None  # its conversation, as the person was told when it was accepted


def first_run(frames: list[Frame]) -> Followed | None:
    """The first run whose events (frames with a seq) reached a person of a company, with its conversation."""
    events = [(frame, event) for frame in frames if isinstance(event := json_or_none(frame.text), dict)]
    conversations = {e.get("run_id"): e.get("thread_id") for _, e in events if e.get("type") == "accepted"}
    for frame, event in events:
        if event.get("seq") is not None and event.get("run_id") and frame.company:
            run_id = str(event["run_id"])
            return Followed(run_id, frame.person, frame.company, conversations.get(run_id))
    return None


def asked_in_verdict(told: list[dict[str, Any]]) -> str | None:
    """What is wrong with the reply to an outsider's question in a conversation not theirs (None: refused, as for a
    conversation that does not exist)."""
    reply = told[0] if told else {}
    if (reply.get("type"), (reply.get("data") or {}).get("code")) != ("error", "not_found"):
        return f"was answered {json.dumps(reply)[:SHOWN]} where a conversation not theirs does not exist"
    return None


def verdict(told: list[dict[str, Any]]) -> str | None:
    """What is wrong with what an outsider received when following a run not theirs (None: refused, nothing shown)."""
    events = [frame for frame in told if frame.get("seq") is not None]
    if events:
        kinds = ", ".join(str(frame.get("type")) for frame in events[:5])
        return f"received {len(events)} of its events ({kinds}): {json.dumps(events[0])[:SHOWN]}"
    last = told[-1] if told else {}
    said = (last.get("type"), (last.get("data") or {}).get("code"))
    if said != REFUSED:
        return f"was answered {json.dumps(last)[:SHOWN]} where a run not theirs cannot be resumed"
    return None


def attempts(
    recorder: Recorder,
    frames: list[Frame],
    socket_url: str,
    stranger: Stranger | None,
    colleague_of: Callable[[str, str], tuple[str, str] | None],
) -> list[str]:
    """The scenario's first run followed by the stranger and by a colleague of its asker (``colleague_of``:
    given a company and a person, a colleague's name and token; None when none is signed in: the run then waits
    for ``followed_late``)."""
    if recorder.state.get("run followed by outsiders") or not socket_url:
        return []
    run = first_run(frames)
    if run is None:
        return []
    recorder.state["run followed by outsiders"] = run
    outsiders = [(STRANGER, stranger.token)] if stranger is not None else []
    colleague = colleague_of(run.company, run.person)
    if colleague is not None:
        outsiders.append(_as_colleague(run, colleague))
    else:
        recorder.state[AWAITING_A_COLLEAGUE] = run
    return _tried(socket_url, run, outsiders)


def followed_late(
    recorder: Recorder, socket_url: str, colleague_of: Callable[[str, str], tuple[str, str] | None]
) -> list[str]:
    """At a scenario's last step: its first run, when none of the asker's colleagues was signed in as it was
    asked, followed (and its conversation asked in) by one signed in now (``colleague_of`` signs one in). A
    sign-in while a question works may wait on what the question holds, so it waits until the scenario's end;
    the run's events are kept long after it, and a run ended is no more anyone else's than one at work."""
    run = recorder.state.pop(AWAITING_A_COLLEAGUE, None)
    if run is None or not socket_url:
        return []
    colleague = colleague_of(run.company, run.person)
    if colleague is None:
        return []
    return _tried(socket_url, run, [_as_colleague(run, colleague)])


def _as_colleague(run: Followed, colleague: tuple[str, str]) -> tuple[str, str]:
    """A colleague's name and token, named as the asker's colleague."""
    return f"{colleague[0]} (a colleague of {run.person})", colleague[1]


def _tried(socket_url: str, run: Followed, outsiders: list[tuple[str, str]]) -> list[str]:
    """What is wrong with what each outsider (a name and a token) was told following ``run`` from its start and
    asking in its conversation."""
    problems = []
    for who, token in outsiders:
        follow = {"type": "resume", "run_id": run.run_id, "after_seq": -1}
        told = run_async(_told(socket_url, token, follow, ends=RUN_ENDS, who=who))
        wrong = verdict(told) if told is not None else None
        if wrong:
            problems.append(
                f"{who[0].upper()}{who[1:]}, following {run.person}'s question (run {run.run_id}) from its start,"
                f" {wrong}: a question's events reach nobody but its asker"
            )
        if run.thread_id is None:
            continue
        asked = {"type": "ask", "text": ASKED_IN, "thread_id": run.thread_id}
        told = run_async(_told(socket_url, token, asked, who=who))
        wrong = asked_in_verdict(told) if told is not None else None
        if wrong:
            problems.append(
                f"{who[0].upper()}{who[1:]}, asking in {run.person}'s conversation ({run.thread_id}), {wrong}: a"
                " conversation is its person's alone"
            )
    return problems


async def _told(
    socket_url: str, token: str, message: dict[str, Any], *, ends: tuple[str, ...] = (), who: str = "an outsider"
) -> Any:
    """What a connection with ``token`` is sent after ``message``: its first frame, or every frame up to one of the
    types ``ends`` (None: no connection, or nothing in time). Each frame is held to the rules of every frame
    (``FRAME_RULES``) and shows none of the platform's keys, as a person's is: what it breaks is filed with the
    scenario's problems."""
    try:
        async with websockets.connect(
            socket_url, additional_headers={"Authorization": f"Bearer {token}"}, open_timeout=WAIT_S
        ) as socket:
            await socket.send(json.dumps(message))
            told: list[dict[str, Any]] = []
            while not told or (ends and told[-1].get("type") not in ends):
                text = str(await asyncio.wait_for(socket.recv(), WAIT_S))
                _file(Frame(f"{who} (sent by the checks)", who, None, text, ""))
                told.append(json.loads(text))
            return told
    except (OSError, TimeoutError, websockets.WebSocketException, ValueError):
        return None


def _file(frame: Frame) -> None:
    """Files with the running scenario's problems what ``frame`` breaks of the rules of every frame."""
    recorder = current()
    if recorder is not None:
        recorder.problems.extend(frame_rules.broken_by(frame, recorder.keys))
