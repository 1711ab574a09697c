"""A conversation read a page of messages at a time: it grows with every question, so it is never answered whole.

World facts written here: ``assistant.conversation_pages`` (what each page held: who said what).
"""

from __future__ import annotations

from itertools import islice

from hamcrest import assert_that, equal_to, has_length

from support.clients.paths import Assistant
from support.scenario.world import World

MOST_PAGES = 50  # a conversation whose pages never end fails the check after it, not the run


def reads_in_pages(world: World, name: str, size: int) -> None:
    """``name`` reads their last conversation ``size`` messages a page, following each page's ``Link``."""
    thread_id = world.assistant.run.thread_id
    pages = islice(world.actor(name).pages(Assistant.thread(thread_id), limit=size), MOST_PAGES)
    world.assistant.conversation_pages = [
        [(message["role"], message["content"]) for message in page["messages"]] for page in pages
    ]


def read_every_message_once(world: World, pages: int) -> None:
    """The pages read hold every question of the conversation and its answer, each once, in the order they were
    asked, in ``pages`` pages."""
    read = world.assistant.conversation_pages
    assert_that(read, has_length(pages), f"the pages of the conversation read: {[len(page) for page in read]}")
    thread_id = world.assistant.run.thread_id
    said = [
        message
        for run in world.assistant.runs
        if run.thread_id == thread_id
        for message in (("user", run.question), ("assistant", run.answer))
    ]
    assert_that(
        [message for page in read for message in page],
        equal_to(said),
        "the messages read, page after page: each question and its answer once, in the order asked",
    )
