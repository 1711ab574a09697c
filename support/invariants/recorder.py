"""What a scenario exchanged with the platform, recorded as it happens, for the checks that hold everywhere.

The HTTP client and the chat client record each answer and each frame here
(``record_http``, ``record_frame``); the guard (``support.invariants.guard``)
reads what is new after every step. The recorder of the running scenario is
held in a context variable set in ``before_scenario``; outside a scenario
nothing is recorded.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HttpExchange:
    """One answer of the platform: the request's method and path, who sent it, and the answer as it came."""

    method: str
    path: str
    caller: str  # the person (as the scenario names them), "the operator" or "nobody signed in"
    company: str | None  # the caller's company (its id); None for the operator and nobody signed in
    status: int
    headers: dict[str, str]  # names in lower case
    text: str  # the body as sent
    step: str


@dataclass(frozen=True)
class Frame:
    """One message the platform sent on an assistant connection, as the text it came in."""

    connection: str  # whose connection, to which instance
    person: str  # whose: the person as the scenario names them
    company: str | None  # the person's company (its id)
    text: str
    step: str


@dataclass
class Recorder:
    """One scenario's exchanges; ``checked`` marks how far the guard has read."""

    step: str = "before the first step"
    http: list[HttpExchange] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    checked_http: int = 0
    checked_frames: int = 0
    state: dict[str, object] = field(default_factory=dict)  # what rules that look across exchanges remember

    def unchecked(self) -> tuple[list[HttpExchange], list[Frame]]:
        """What was recorded since the last call, now marked as read."""
        http, frames = self.http[self.checked_http :], self.frames[self.checked_frames :]
        self.checked_http, self.checked_frames = len(self.http), len(self.frames)
        return http, frames


_current: ContextVar[Recorder | None] = ContextVar("scenario_exchanges", default=None)


def start_recording() -> Recorder:
    """A fresh recorder for the scenario about to run."""
    recorder = Recorder()
    _current.set(recorder)
    return recorder


def current() -> Recorder | None:
    return _current.get()


def record_http(
    method: str, path: str, caller: str, company: str | None, status: int, headers: dict[str, str], text: str
) -> None:
    recorder = _current.get()
    if recorder is not None:
        lowered = {name.lower(): value for name, value in headers.items()}
        recorder.http.append(HttpExchange(method, path, caller, company, status, lowered, text, recorder.step))


def record_frame(connection: str, person: str, company: str | None, text: str) -> None:
    recorder = _current.get()
    if recorder is not None:
        recorder.frames.append(Frame(connection, person, company, text, recorder.step))
