"""How a defect is planted: one attribute of the platform replaced, loudly if it is not there."""

from __future__ import annotations

import inspect
import weakref
from typing import Any

MARKER_HEADER = "x-planted-defect"
# what each replaced attribute of a module or class was before any defect replaced it (several are planted at once
# in the catalogue's test)
_PLATFORMS_OWN: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


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
    try:
        platforms_own = _PLATFORMS_OWN.setdefault(owner, {}).setdefault(name, original)
    except TypeError:  # an owner that cannot be referred to weakly: held to what is there now
        platforms_own = original
    _takes_what_it_replaces(platforms_own, new, f"{getattr(owner, '__name__', owner)!s}.{name}")
    setattr(owner, name, new)
    return original


def _takes_what_it_replaces(original: Any, new: Any, where: str) -> None:
    """Refuses a function in place of one it cannot be called as: every parameter the platform's function takes,
    by position or by keyword as it declares it, must bind to the replacement, and one awaited must be replaced by
    one awaited. A value (a constant, a table of rules) must be replaced by one of its own type. Otherwise the
    planted platform answers 500 wherever the defect sits (a crash, caught by the crash check) and the rule the
    defect was planted for is never tried.

    Raises:
        PlantingError: the replacement cannot take a call the platform's function takes.
    """
    if not callable(original):
        if type(new) is not type(original):
            raise PlantingError(
                f"{where} is a {type(original).__name__}, and its replacement a {type(new).__name__}; "
                "the platform changed, so update the defect that patches it"
            )
        return
    if not (inspect.isfunction(original) and inspect.isfunction(new)):
        return
    if inspect.iscoroutinefunction(original) != inspect.iscoroutinefunction(new):
        awaited = "awaited" if inspect.iscoroutinefunction(original) else "called without an await"
        raise PlantingError(
            f"{where} is {awaited}, and its replacement is not; the platform changed, so update the defect that"
            " patches it"
        )
    positional: list[str] = []
    keywords: dict[str, None] = {}
    for parameter in inspect.signature(original).parameters.values():
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            positional.append(parameter.name)
        elif parameter.kind is parameter.KEYWORD_ONLY:
            keywords[parameter.name] = None
    try:
        inspect.signature(new).bind(*positional, **keywords)
    except TypeError as exc:
        raise PlantingError(
            f"{where} takes ({', '.join([*positional, *keywords])}), which its replacement cannot ({exc}); "
            "the platform changed, so update the defect that patches it"
        ) from None


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
