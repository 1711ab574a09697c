"""A person's open assistant connection (WebSocket) to a platform instance, opened on first use and closed at
cleanup: what every area that talks to the assistant, or listens for notifications, opens it with.

World facts written here: ``assistant.chats`` (each open connection, by person, company and instance).
"""

from __future__ import annotations

from support.clients.chat_client import ChatClient
from support.clients.paths import Assistant
from support.scenario.async_runner import run_async
from support.scenario.world import World


def socket_url(world: World, instance: int = 0) -> str:
    urls = world.inspectors.config.instance_urls
    if instance >= len(urls):
        raise AssertionError(f"this run has {len(urls)} platform instance(s); set PLATFORM_URLS to test scale-out")
    return urls[instance].replace("http", "ws", 1) + Assistant.SOCKET


def chat(world: World, name: str, company: str | None = None, *, instance: int = 0, fresh: bool = False) -> ChatClient:
    """The person's open assistant connection to an instance (opened on first use, or again when it has
    closed; closed at cleanup)."""
    key = (name, company, instance)
    open_one = world.assistant.chats.get(key)
    if fresh or open_one is None or open_one.closed:
        actor = world.actor(name, company)
        client = run_async(
            ChatClient(
                f"{name} via instance {instance + 1}",
                socket_url(world, instance),
                actor.token,
                person=name,
                company=world.tenant(company).id,
            ).connect()
        )
        world.on_cleanup(lambda: run_async(client.close()))
        world.assistant.chats[key] = client
    return world.assistant.chats[key]
