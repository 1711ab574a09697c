"""Malformed messages on the assistant's socket: each answered with an error or a close code and reason.

World memory keys written here: ``frame_client`` (the connection the frame went on),
``log_mark`` (where the platform logs stood before it).
"""

from __future__ import annotations

from hamcrest import assert_that, described_as, empty, equal_to, has_entries, is_not

from support.areas.assistant.tasks import chat
from support.clients.platform_logs import PlatformLogs
from support.scenario.async_runner import run_async
from support.scenario.world import World

FRAMES: dict[str, tuple[str | bytes, str]] = {  # as the feature names it: (frame, as the transcript shows it)
    "a binary frame": (b"\x00\x01\x02binary", "9 bytes of binary"),
    "text that is not JSON": ("what is my pipeline?", "what is my pipeline?"),
    "JSON nested 60,000 deep": ("[" * 60_000, "60,000 opening brackets"),
    "a message of 70,000 characters": ('{"type": "ask", "text": "' + "x" * 70_000 + '"}', "70,000 characters"),
    "a JSON list": ('["ask", "what is my pipeline?"]', '["ask", "what is my pipeline?"]'),
    "a message of an unknown type": ('{"type": "dance"}', '{"type": "dance"}'),
    "a question without text": ('{"type": "ask", "text": "   "}', '{"type": "ask", "text": "   "}'),
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


def _logs(world: World) -> PlatformLogs:
    return PlatformLogs(world.inspectors.config.platform_logs)


def opens_assistant(world: World, name: str) -> None:
    world.remember("frame_client", chat(world, name))
    logs = _logs(world)
    world.remember("log_mark", logs.mark() if logs.readable else None)


def sends(world: World, name: str, frame_words: str) -> None:
    frame, shown = FRAMES[frame_words]
    run_async(world.remember("frame_client", chat(world, name)).send_raw(frame, shown))


def closed_with(world: World, code: int) -> None:
    client = world.recall("frame_client")
    closed_code, reason = run_async(client.wait_closed())
    client.attach_transcript()
    assert_that(closed_code, equal_to(code), "the close code")
    assert_that(reason or "", described_as("a reason given with the close", is_not(empty())))


def error_naming(world: World, field: str) -> None:
    client = world.recall("frame_client")
    reply = run_async(client.reply())
    client.attach_transcript()
    assert_that(reply, has_entries(type="error", data=has_entries(field=field)), "the reply to the message")
    assert_that(client.closed, equal_to(False), "the connection stays open")


def still_answers(world: World) -> None:
    client = world.recall("frame_client")
    accepted = run_async(client.ask("What is our open pipeline?"))
    assert_that(accepted, has_entries(type="accepted"), "the reply to a good question after the bad message")
    run_async(client.wait_for(accepted["run_id"]))


def no_exception_logged(world: World) -> None:
    mark = world.recall("log_mark")
    if mark is None:
        return  # a deployment's logs are not ours to read; the answers above are still checked
    assert_that(_logs(world).problems_since(mark), empty(), "exceptions or errors the platform logged")
