"""How a defect is planted: one attribute of the platform replaced, loudly if it is not there."""

from __future__ import annotations

from typing import Any

MARKER_HEADER = "x-planted-defect"


class PlantingError(RuntimeError):
    """The code a defect patches has changed: the defect would silently be a no-op, so nothing starts."""


def replace(owner: Any, name: str, new: Any) -> Any:
    """Sets ``owner.name`` to ``new`` and returns what was there.

    Raises:
        PlantingError: ``owner`` has no attribute ``name`` (renamed or moved in the platform).
    """
    if not hasattr(owner, name):
        raise PlantingError(
            f"{getattr(owner, '__name__', owner)!s}.{name} does not exist; "
            "the platform changed, so update the defect that patches it"
        )
    original = getattr(owner, name)
    setattr(owner, name, new)
    return original


class AnnouncesPlantedDefect:
    """ASGI middleware: every HTTP answer names the planted defect, so no one mistakes this platform for the real one."""

    def __init__(self, app: Any, defect: str) -> None:
        self._app = app
        self._header = (MARKER_HEADER.encode(), defect.encode())

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return

        async def send_marked(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), self._header]}
            await send(message)

        await self._app(scope, receive, send_marked)
