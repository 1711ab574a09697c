"""How many assistant connections one person may hold open on an instance at once (the platform's
``ASSISTANT_CONNECTIONS_PER_PERSON``, 10): past it, the next is closed at once saying why; a colleague is not held up.

World facts written here: ``assistant.connections`` (the person's connections held open), ``assistant.opened_last``
(the last one opened).
"""

from __future__ import annotations

from hamcrest import assert_that, contains_string, equal_to, is_not

from support.clients.chat_client import ChatClient
from support.scenario.async_runner import run_async
from support.scenario.connections import chat
from support.scenario.eventually import eventually
from support.scenario.world import World

POLICY_VIOLATION = 1008
NO_SUCH_RUN = "0" * 32


def _answers(client: ChatClient) -> bool:
    """Whether the connection answers a message: the follow of a run that does not exist is told it ended."""
    if client.closed:
        return False
    run_async(client.send({"type": "resume", "run_id": NO_SUCH_RUN, "after_seq": -1}))
    events = run_async(client.wait_for(NO_SUCH_RUN, timeout=5))
    return bool(events)


def connections_held_open(world: World, name: str, count: int) -> None:
    """``name`` opens ``count`` connections on the first instance, each answering."""
    world.assistant.connections = [chat(world, name, fresh=True) for _ in range(count)]
    answering = [_answers(client) for client in world.assistant.connections]
    assert_that(answering, equal_to([True] * count), f"{name}'s {count} connections, each answering")


def opens_another(world: World, name: str) -> None:
    """``name`` opens one more connection on the first instance (kept as ``assistant.opened_last``)."""
    world.assistant.opened_last = chat(world, name, fresh=True)


def closes_one_and_opens_another(world: World, name: str) -> None:
    """``name`` closes the first of the connections they held open, then opens another on the first instance
    until one is taken (the platform counts a connection closed once it has seen it close: a moment after the
    client's close is done), within 2 s."""
    client = world.assistant.connections.pop(0)
    run_async(client.close())

    def taken() -> None:
        opens_another(world, name)
        assert_that(_answers(world.assistant.opened_last), equal_to(True), f"{name}'s connection once one was closed")

    eventually(taken, timeout=2.0, interval=0.1)


def refused_for_too_many(world: World, name: str, most: int) -> None:
    """The last connection opened was closed at once as against the rules, naming the most a person may hold."""
    client: ChatClient = world.assistant.opened_last
    try:
        code, reason = run_async(client.wait_closed(timeout=5))
    except TimeoutError:  # still open: said as what was found, below
        code, reason = None, "still open 5 s after it was opened"
    client.attach_transcript(f"{client.name}: closed {code} {reason}")
    assert_that(
        code, equal_to(POLICY_VIOLATION), f"how {name}'s connection past the {most} held open was closed ({reason})"
    )
    assert_that(reason or "", contains_string(f"you have {most} assistant connections open"), "the reason given")


def answered(world: World, name: str) -> None:
    """The last connection opened answers (a colleague's, or one opened once another was closed)."""
    client: ChatClient = world.assistant.opened_last
    assert_that(_answers(client), equal_to(True), f"{name}'s new connection answers")
    assert_that(client.close_code, is_not(POLICY_VIOLATION), f"{name}'s new connection is not refused")
