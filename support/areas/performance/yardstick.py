"""The yardstick a performance figure is measured against in the same run: a bare socket that speaks the
assistant's protocol, and a bare list for the API's reads, with no work behind either (``bench.bare_socket``),
two instances served by the same uvicorn with the same options as the platform, driven by the same client.

World facts written here: ``performance.yardstick_urls``, ``performance.yardstick_http``,
``performance.yardstick``."""

from __future__ import annotations

from support.areas.assistant.at_scale import PersonRun, crowd_asks, figures_of
from support.clients.paths import Assistant
from support.report.evidence import attach_json
from support.scenario.world import World
from support.stack.http_service import HttpService
from support.stack.stack import LOG_DIR, PLATFORM_OPTIONS

YARDSTICK_APP = "bench.bare_socket:app"
SOCKET_PATH = Assistant.SOCKET  # the platform's path, though the bare socket answers on every one


def yardstick_runs(world: World) -> list[str]:
    """Two instances of the bare socket started beside the platform; their socket addresses (their HTTP
    addresses, for the bare list, in ``performance.yardstick_http``)."""
    urls, http = [], []
    for number in (1, 2):
        service = HttpService(
            f"yardstick-{number}", YARDSTICK_APP, log_dir=LOG_DIR, env={}, ready_path="/", options=PLATFORM_OPTIONS
        )
        world.on_cleanup(service.stop)
        service.start()
        urls.append(service.url.replace("http", "ws", 1) + SOCKET_PATH)
        http.append(service.url)
    attach_json("the yardstick: bare sockets beside the platform", {"sockets": urls, "bare lists": http})
    world.performance.yardstick_http = http
    world.performance.yardstick_urls = urls
    return urls


def crowd_asks_the_yardstick(world: World, question: str) -> list[PersonRun]:
    """The same people ask the yardstick the same question at the same instant, spread the same way."""
    runs, wall = crowd_asks(world.assistant.crowd_members, question, world.performance.yardstick_urls)
    world.performance.yardstick = (runs, figures_of(runs, wall, {}, "the yardstick"))
    return runs
