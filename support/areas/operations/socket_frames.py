"""Malformed messages on the assistant's socket: each answered with an error or a close code and reason.

World facts written here: ``operations.frame_client``, ``operations.log_mark``."""

from __future__ import annotations

from hamcrest import assert_that, described_as, empty, equal_to, has_entries, is_not

from support.clients.chat_client import ChatClient
from support.clients.platform_logs import PlatformLogs
from support.scenario.async_runner import run_async
from support.scenario.connections import chat
from support.scenario.world import World

FRAMES: dict[str, tuple[str | bytes, str]] = {  # as the feature names it: (frame, as the transcript shows it)
    "a binary frame": (b"\x00\x01\x02binary", "9 bytes of binary"),
    "text that is not JSON": ("what is my pipeline?", "what is my pipeline?"),
    "JSON nested 60,000 deep": ("[" * 60_000, "60,000 opening brackets"),
    "a message of 70,000 characters": ('{"type": "ask", "text": "' + "x" * 70_000 + '"}', "70,000 characters"),
    "a JSON list": ('["ask", "what is my pipeline?"]', '["ask", "what is my pipeline?"]'),
    "a message of an unknown type": ('{"type": "dance"}', '{"type": "dance"}'),
    "a question without text": ('{"type": "ask", "text": "   "}', '{"type": "ask", "text": "   "}'),
    "a question holding a hidden control character": (
        '{"type": "ask", "text": "What is our pipeline?\\u0000"}',
        "a question ending in a NUL character",
    ),
    "a question holding half a character": (
        '{"type": "ask", "text": "What is \\ud800 our pipeline?"}',
        "a question holding a lone surrogate",
    ),
    "a resume without a run": ('{"type": "resume"}', '{"type": "resume"}'),
    "a resume with a negative position": (
        '{"type": "resume", "run_id": "r", "after_seq": -5}',
        '{"type": "resume", "run_id": "r", "after_seq": -5}',
    ),
    "a cancel of a run that is not running": (
        '{"type": "cancel", "run_id": "nope"}',
        '{"type": "cancel", "run_id": "nope"}',
    ),
}


CLOSES = {  # why a socket is closed, as a feature says it -> the close code WebSocket defines for it
    "it takes text only": 1003,
    "a message must be JSON": 1007,
    "a message may not nest so deep": 1007,
    "the message is too big": 1009,
}
FIELDS = {"the type": "type", "the text": "text", "the run": "run_id", "the position": "after_seq"}


def _logs(world: World) -> PlatformLogs:
    return PlatformLogs(world.inspectors.config.platform_logs)


def opens_assistant(world: World, name: str) -> None:
    world.operations.frame_client = chat(world, name)
    logs = _logs(world)
    world.operations.log_mark = logs.mark() if logs.readable else None


def sends(world: World, name: str, frame_words: str) -> None:
    frame, shown = FRAMES[frame_words]
    client = world.operations.frame_client = chat(world, name)
    run_async(client.send_raw(frame, shown))


def closed_because(world: World, why: str) -> None:
    """The socket was closed with the code WebSocket defines for ``why`` (``CLOSES``), and a reason."""
    client = world.operations.frame_client
    closed_code, reason = run_async(client.wait_closed())
    client.attach_transcript()
    assert_that(closed_code, equal_to(CLOSES[why]), f"how the socket was closed ({why}): its close code")
    assert_that(reason or "", described_as("a reason given with the close", is_not(empty())))


def error_naming(world: World, what: str) -> None:
    field = FIELDS[what]
    client = world.operations.frame_client
    reply = run_async(client.reply())
    client.attach_transcript()
    assert_that(reply, has_entries(type="error", data=has_entries(field=field)), "the reply to the message")
    assert_that(client.closed, equal_to(False), "the connection stays open")


def still_answers(world: World) -> None:
    answers_a_question(world.operations.frame_client)


def answers_a_question(client: ChatClient) -> None:
    """A question asked on ``client`` is accepted and its run ends."""
    accepted = run_async(client.ask("What is our open pipeline?"))
    assert_that(accepted, has_entries(type="accepted"), "the reply to a good question afterwards")
    run_async(client.wait_for(accepted["run_id"]))


def no_exception_logged(world: World) -> None:
    mark = world.operations.log_mark
    if mark is None:
        return  # a deployment's logs are not ours to read; the answers above are still checked
    assert_that(_logs(world).problems_since(mark), empty(), "exceptions or errors the platform logged")
