"""What only its owner may touch (a person's questions, conversations and notifications), tried by others.

Each thing of Sam's is made first; then a colleague of his and a person of another company each try the
action on it, by its id. Both must be told it does not exist (an error answer naming ``not_found``, or the
platform's "no run of yours" for a cancel), and Sam's thing must be as it was. To find it is to look among
one's own (one's notifications, one's conversations): it must not be there.

World facts written here: ``tenancy.owned``, ``tenancy.tries``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hamcrest import assert_that, contains_exactly, equal_to, has_entries, has_item, not_

from support.areas.assistant import tasks as assistant
from support.areas.sales import tasks as sales
from support.clients.paths import Assistant, Sales
from support.scenario.async_runner import run_async
from support.scenario.connections import chat
from support.scenario.world import World

THINGS = ("question the assistant is working on", "conversation", "notification")


def owns(world: World, name: str, thing: str) -> None:
    """``name`` comes to have the ``thing`` the feature names."""
    if thing == "question the assistant is working on":
        run = assistant.ask(world, name, "What is our open pipeline? Take your time.", wait_for="agent_thinking")
        assert run is not None, f"{name}'s question was refused"
        world.tenancy.owned = {"kind": thing, "owner": name, "run_id": run.run_id, "thread_id": run.thread_id}
    elif thing == "conversation":
        run = assistant.asked(world, name, "What is our open pipeline?")
        said = _messages(world, name, run.thread_id)
        world.tenancy.owned = {"kind": thing, "owner": name, "thread_id": run.thread_id, "messages": said}
    elif thing == "notification":
        sales.project_delivered_by(world, name, "Globex")
        mine = world.actor(name).lists(Sales.NOTIFICATIONS)
        assert_that(len(mine), equal_to(1), f"{name}'s notifications once his deal is won")
        world.tenancy.owned = {"kind": thing, "owner": name, "notification_id": mine[0]["id"]}
    else:
        raise AssertionError(f"nothing called {thing!r}; known: {', '.join(THINGS)}")


def _socket_reply(world: World, name: str, company: str | None, message: dict[str, Any]) -> dict[str, Any]:
    """What ``name`` is answered on a connection of their own: an error reply (a cancel), or the end a run
    that is not theirs is answered with (a follow or a resume), and any event of the run that came."""
    client = chat(world, name, company, instance=1, fresh=True)
    run_async(client.send(message))
    if message["type"] == "ask":  # a question in a conversation: accepted, or refused at once
        answer = run_async(client.reply(timeout=5))
    elif message["type"] == "cancel":
        try:
            answer = run_async(client.reply(timeout=5))
        except TimeoutError:  # a cancel the platform took: it answers nothing, and the run ends cancelled
            answer = {"type": "no answer within 5 s: the cancel was taken"}
    else:
        answer = run_async(client.wait_for(message["run_id"], timeout=5))[-1]
    run_id = message.get("run_id") or answer.get("run_id")
    seen = [e for e in client.events.get(run_id, []) if e.get("seq") is not None]
    client.attach_transcript()
    return {"reply": answer, "events": seen}


def _found_among_their_own(world: World, name: str, company: str | None, owned: dict[str, Any]) -> dict[str, Any]:
    """The ids of what ``name`` is shown among their own things of the kind: notifications, or conversations
    (a question's too)."""
    listing = Sales.NOTIFICATIONS if "notification_id" in owned else Assistant.THREADS
    return {"listed": [shown["id"] for shown in world.actor(name, company).lists(listing)]}


def _id_of(owned: dict[str, Any]) -> str:
    return owned.get("notification_id") or owned["thread_id"]


ACTIONS: dict[str, Callable[[World, str, str | None, dict[str, Any]], dict[str, Any]]] = {
    "follow": lambda w, n, c, o: _socket_reply(w, n, c, {"type": "resume", "run_id": o["run_id"], "after_seq": -1}),
    "resume": lambda w, n, c, o: _socket_reply(w, n, c, {"type": "resume", "run_id": o["run_id"], "after_seq": 1}),
    "cancel": lambda w, n, c, o: _socket_reply(w, n, c, {"type": "cancel", "run_id": o["run_id"]}),
    "read": lambda w, n, c, o: _http(w.actor(n, c).api.get(Assistant.thread(o["thread_id"]))),
    "archive": lambda w, n, c, o: _http(w.actor(n, c).api.post(Assistant.thread(o["thread_id"], "archive"))),
    "ask in": lambda w, n, c, o: _socket_reply(
        w, n, c, {"type": "ask", "text": "And the revenue?", "thread_id": o["thread_id"]}
    ),
    "mark read": lambda w, n, c, o: _http(w.actor(n, c).api.post(Sales.notification_read(o["notification_id"]))),
    "find": _found_among_their_own,
}


# What a try on the assistant's connection is refused with: its code, and the part of the message it names
REFUSED_ON_THE_SOCKET = {
    "cancel": ("error", "not_found", "run_id"),
    "ask in": ("error", "not_found", "thread_id"),
}


def _messages(world: World, owner: str, thread_id: str) -> list[tuple[str, str]]:
    """Who said what in the owner's conversation, in order."""
    thread = world.actor(owner).reads_conversation(thread_id)
    return [(message["role"], message["content"]) for message in thread["messages"]]


def _http(answer: Any) -> dict[str, Any]:
    return {"status": answer.status, "body": answer.body}


def _owned(world: World, owner: str, thing: str) -> dict[str, Any]:
    owned = world.tenancy.owned
    if owned["kind"] != thing or owned["owner"] != owner:
        raise AssertionError(
            f"the step speaks of {owner}'s {thing}, but the scenario made {owned['owner']}'s {owned['kind']}"
        )
    return owned


def tries(world: World, name: str, company: str | None, action: str, owner: str, thing: str) -> None:
    """``name`` (of ``company``, None: the owner's own) tries ``action`` on ``owner``'s ``thing``, by its id."""
    owned = _owned(world, owner, thing)
    answer = ACTIONS[action](world, name, company, owned)
    world.tenancy.tries.append(
        {"who": f"{name} of {company or 'the same company'}", "answer": answer, "action": action, "id": _id_of(owned)}
    )


def told_it_does_not_exist(world: World) -> None:
    """Every try was answered as for a thing that does not exist, and gave nothing of it."""
    for attempt in world.tenancy.tries:
        answer, who = attempt["answer"], attempt["who"]
        if "reply" in answer:  # on the assistant's connection
            told = answer["reply"]
            expected = REFUSED_ON_THE_SOCKET.get(attempt["action"], ("agent_failed", "resume_unavailable", None))
            data = told.get("data", {})
            assert_that(
                (told.get("type"), data.get("code"), data.get("field")),
                equal_to(expected),
                f"what {who} was told when trying to {attempt['action']} (a run not theirs is none at all)",
            )
            assert_that(answer["events"], equal_to([]), f"events of Sam's question that reached {who}")
        elif "listed" in answer:
            assert_that(answer["listed"], not_(has_item(attempt["id"])), f"what {who} was shown among their own")
        else:
            assert_that(answer["status"], equal_to(404), f"the answer {who} got: {answer['body']}")


def as_it_was(world: World, owner: str, thing: str) -> None:
    """The thing is as its owner left it: the question runs on to its answer, the conversation is not
    archived and holds only what was said in it, the notification is unread."""
    owned = _owned(world, owner, thing)
    if owned["kind"] == "question the assistant is working on":
        run = assistant.wait_for_end(world, owner)
        assert_that(run.events[-1]["type"], equal_to("agent_completed"), f"how {owner}'s question ended")
    elif owned["kind"] == "conversation":
        thread = world.actor(owner).api.get(Assistant.thread(owned["thread_id"])).expect_ok("reading the thread")
        assert_that(thread, has_entries(archived=False), f"{owner}'s conversation")
        assert_that(
            _messages(world, owner, owned["thread_id"]),
            equal_to(owned["messages"]),
            f"what was said in {owner}'s conversation (nobody else's question in it)",
        )
    else:
        mine = world.actor(owner).lists(Sales.NOTIFICATIONS)
        assert_that(
            mine, contains_exactly(has_entries(id=owned["notification_id"], read=False)), f"{owner}'s notifications"
        )
