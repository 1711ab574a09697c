"""An instance's background work (the mail sender, the analytics ingester, the roll call of silent dependencies,
the forgetting of expired records) runs from its start, and is stopped, every piece of it, before the clients it
works with are closed: one left running would go on against closed clients while the instance stops."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from app import main

BACKGROUND = ("send_mail_forever", "ingest_forever", "name_the_silent_after_start", "forget_expired_forever")


def test_every_piece_of_background_work_is_stopped_before_the_clients_are_closed(monkeypatch):
    started: list[str] = []
    stopped: list[str] = []
    stopped_when_closing: list[str] = []

    def working(name: str):
        async def forever(platform: object) -> None:
            started.append(name)
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                stopped.append(name)
                raise

        return forever

    for name in BACKGROUND:
        monkeypatch.setattr(main, name, working(name))

    async def astart() -> None:
        pass

    async def aclose() -> None:
        await asyncio.sleep(0)  # a stop asked for lands at the task's next turn
        stopped_when_closing.extend(stopped)

    platform = SimpleNamespace(
        mail=object(),
        analytics=object(),
        fanout=SimpleNamespace(),
        astart=astart,
        aclose=aclose,
        close=lambda: None,
    )
    settings = SimpleNamespace(log_level="INFO", platform_settings_file=None)
    monkeypatch.setattr(main, "load_settings", lambda: settings)
    monkeypatch.setattr(main, "use_log_level", lambda level: None)
    monkeypatch.setattr(main, "bootstrap", lambda given: platform)
    monkeypatch.setattr(main.model_client, "load_in_background", lambda: None)

    async def serve_a_while() -> None:
        async with main.lifespan(SimpleNamespace(state=SimpleNamespace())):
            await asyncio.sleep(0.05)

    asyncio.run(serve_a_while())
    assert sorted(started) == sorted(BACKGROUND), "every piece of background work starts with the instance"
    assert sorted(stopped_when_closing) == sorted(BACKGROUND), "each is stopped before the clients are closed"
