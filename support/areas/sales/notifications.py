"""Notifications as a person sees them: live on their open connection, and in their list.

World facts written here: ``sales.notification``, ``sales.notification_pages``.
"""

from __future__ import annotations

from itertools import islice

from hamcrest import assert_that, contains_string, empty, equal_to, has_entries, has_length

from support.clients.paths import Sales
from support.scenario.async_runner import run_async
from support.scenario.connections import chat
from support.scenario.matchers import refused_because
from support.scenario.world import World


def keeps_platform_open(world: World, name: str) -> None:
    chat(world, name)


def notified_live(world: World, name: str, text: str) -> None:
    client = chat(world, name)
    notification = run_async(client.wait_for_notification())
    client.attach_transcript()
    assert_that(
        notification,
        has_entries(type="notification", data=has_entries(kind="tasks_assigned")),
        "the live notification of the kick-off tasks",
    )
    assert_that(notification["data"]["text"], contains_string(text), "what the live notification says")
    world.sales.notification = notification


def opens_platform(world: World, name: str) -> None:
    """A connection of the person's opened now, whatever they were told before."""
    chat(world, name, fresh=True)


def told_nothing_else(world: World, name: str) -> None:
    """What the person's connection was told since it opened is the one notification checked, nothing before it."""
    told = [n["data"]["text"] for n in chat(world, name).notifications]
    assert_that(told, has_length(1), f"the notifications pushed to {name} since opening the platform: only the new one")


def listed(world: World, name: str, text: str) -> None:
    mine = world.actor(name).lists(Sales.NOTIFICATIONS)
    assert_that(mine, has_length(1), f"{name}'s notifications")
    assert_that(mine[0]["text"], contains_string(text), "what the listed notification says")
    assert_that(mine[0]["id"], equal_to(world.sales.notification["data"]["id"]), "the same notification")


def not_notified(world: World, name: str) -> None:
    client = chat(world, name)
    assert_that(world.actor(name).lists(Sales.NOTIFICATIONS), empty(), f"{name}'s notifications")
    assert_that(client.notifications, empty(), f"notifications pushed to {name}")


def _notification_about(world: World, owner: str, about: str) -> dict:
    """``owner``'s one notification whose text names ``about`` (a client)."""
    found = [n for n in world.actor(owner).lists(Sales.NOTIFICATIONS) if about in n["text"]]
    assert_that(found, has_length(1), f"{owner}'s notifications about {about}")
    return found[0]


def marks_read(world: World, reader: str, owner: str, about: str) -> None:
    """``reader`` marks ``owner``'s notification about ``about`` read; the answer is kept as the one ``reader``
    got."""
    notification = _notification_about(world, owner, about)
    answer = world.actor(reader).api.post(Sales.notification_read(notification["id"]))
    world.answered(reader, answer)


def told_notification_does_not_exist(world: World, name: str) -> None:
    answer = world.answer_to(name)
    assert_that(answer, refused_because("not_found"), "marking another person's notification read")


def notification_read_state(world: World, owner: str, about: str, read: bool) -> None:
    assert_that(
        _notification_about(world, owner, about), has_entries(read=read), f"{owner}'s notification about {about}"
    )


def reads_in_pages(world: World, name: str, size: int) -> None:
    """``name`` follows the pages of their notifications, ``size`` a page (at most 50 pages: a listing that never
    ends fails the check after it, not the run)."""
    pages = islice(world.actor(name).pages(Sales.NOTIFICATIONS, limit=size), 50)
    world.sales.notification_pages = [[notification["text"] for notification in page] for page in pages]


def read_every_notification_once(world: World, pages: int) -> None:
    """The pages read hold one notification for each deal won (``sales.clients_won``, in the order they were
    won), each once, oldest first, in ``pages`` pages."""
    read, won = world.sales.notification_pages, world.sales.clients_won
    assert_that([len(page) for page in read], has_length(pages), f"the pages of notifications read: {read}")
    everything = [text for page in read for text in page]
    assert_that(everything, has_length(len(won)), f"the notifications read, one for each deal won: {everything}")
    for text, client in zip(everything, won, strict=True):
        assert_that(text, contains_string(client), "each notification once, in the order the deals were won")
