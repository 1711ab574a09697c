"""What a scenario exchanged with the platform, recorded as it happens, for the checks that hold everywhere.

The HTTP client and the chat client record each answer and each frame here
(``record_http``, ``record_frame``); the guard (``support.invariants.guard``)
reads what is new after every step. The recorder of the running scenario is
set in ``before_scenario`` and shared by every thread of the process (a
behave process runs one scenario at a time, and a scenario's requests sent at
once from a pool of threads are its own); outside a scenario nothing is
recorded.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SentRequest:
    """What a request carried besides its method and path: enough to send it again as it was."""

    query: str = ""  # as in the address, after the "?"
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()  # those that shape the answer: the body's type, an Idempotency-Key


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
    request: SentRequest = SentRequest()


def json_or_none(text: str) -> Any:
    """``text`` read as JSON; None when it is not JSON."""
    try:
        return json.loads(text)
    except ValueError:
        return None


def objects_shown(exchange: HttpExchange) -> list[dict[str, Any]]:
    """Every object a JSON answer holds at its top: the answer itself, the items of a list, of a list in it."""
    if "json" not in exchange.headers.get("content-type", ""):
        return []
    try:
        body = json.loads(exchange.text or "null")
    except ValueError:
        return []
    found = [body] if isinstance(body, dict) else list(body) if isinstance(body, list) else []
    if isinstance(body, dict):
        found += [item for value in body.values() if isinstance(value, list) for item in value]
    return [item for item in found if isinstance(item, dict)]


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
    attached: int = 0  # HTTP exchanges kept as evidence so far
    evidence: list[tuple[str, dict]] = field(default_factory=list)  # the running step's exchanges, to attach
    problems: list[str] = field(default_factory=list)  # found as exchanges happened (a write's unwanted changes)
    fingerprint: Callable[[str], dict[str, dict[str, str]] | None] | None = None  # a company's rows, each digested
    writes_in_flight: int = 0
    writes_begun: int = 0  # writes started in the scenario so far: one begun during another makes neither alone
    passwords: set[str] = field(default_factory=set)  # every password the scenario's requests carried
    rewritten: set[str] = field(default_factory=set)  # records the harness itself rewrote in the database
    interrupted: set[str] = field(default_factory=set)  # the servers the harness stopped, killed or restarted
    keys: tuple[str, ...] = ()  # the platform's keys, where the run knows them: no answer nor frame may show one
    lock: threading.Lock = field(default_factory=threading.Lock)

    def passwords_sent(self) -> tuple[str, ...]:
        with self.lock:
            return tuple(self.passwords)

    def unchecked(self) -> tuple[list[HttpExchange], list[Frame]]:
        """What was recorded since the last call, now marked as read."""
        http, frames = self.http[self.checked_http :], self.frames[self.checked_frames :]
        self.checked_http, self.checked_frames = len(self.http), len(self.frames)
        return http, frames


class _Running:
    """The running scenario's recorder, one per process, seen from every thread."""

    recorder: Recorder | None = None

    def get(self) -> Recorder | None:
        return self.recorder


_current = _Running()


def start_recording() -> Recorder:
    """A fresh recorder for the scenario about to run."""
    recorder = Recorder()
    _current.recorder = recorder
    return recorder


def stop_recording() -> None:
    """Records nothing more (a driver other than behave's hooks, done with the platform)."""
    _current.recorder = None


def current() -> Recorder | None:
    return _current.get()


ATTACHED_PER_SCENARIO = 25  # past this a scenario's exchanges are checked but not attached: the report stays small


def keep_as_evidence(title: str, exchange: dict) -> None:
    """Keeps an HTTP exchange for the report, attached with the others of its step when the step ends (one
    attachment a step: the report stays small); past ATTACHED_PER_SCENARIO a scenario's are left out, saying so."""
    recorder = _current.get()
    if recorder is None:
        return
    with recorder.lock:
        recorder.attached += 1
        if recorder.attached <= ATTACHED_PER_SCENARIO:
            recorder.evidence.append((title, exchange))
        elif recorder.attached == ATTACHED_PER_SCENARIO + 1:
            note = (
                f"Past {ATTACHED_PER_SCENARIO} exchanges a scenario's requests and answers are left out of the report"
                " (it stays small); every one of them is still checked after its step."
            )
            recorder.evidence.append(("the scenario's further exchanges are not attached", {"note": note}))


def rewritten_by_the_harness(*records: str) -> None:
    """Notes records the harness wrote in the database itself (a date moved, an entry of ``the trail of {company}``
    altered): what answers showed of them before is no claim about what the platform did."""
    recorder = _current.get()
    if recorder is not None:
        with recorder.lock:
            recorder.rewritten.update(records)


def interrupted_by_the_harness(server: str) -> None:
    """Notes a server the harness stopped, killed or restarted: work it had begun may have been done twice (an
    e-mail sent, its sending not yet committed, is sent again: delivery is at least once)."""
    recorder = _current.get()
    if recorder is not None:
        with recorder.lock:
            recorder.interrupted.add(server)


def take_evidence() -> list[tuple[str, dict]]:
    """The exchanges kept since the last call, oldest first, and forgets them."""
    recorder = _current.get()
    if recorder is None:
        return []
    with recorder.lock:
        kept, recorder.evidence = recorder.evidence, []
    return kept


def record_http(
    method: str,
    path: str,
    caller: str,
    company: str | None,
    status: int,
    headers: dict[str, str],
    text: str,
    passwords: Iterable[str] = (),
    request: SentRequest = SentRequest(),
) -> None:
    """Records one answer; ``passwords``: those its request carried (no log may show them); ``request``: the
    rest of what it carried."""
    recorder = _current.get()
    if recorder is not None:
        if passwords:
            with recorder.lock:
                recorder.passwords.update(passwords)
        lowered = {name.lower(): value for name, value in headers.items()}
        recorder.http.append(HttpExchange(method, path, caller, company, status, lowered, text, recorder.step, request))


def record_frame(connection: str, person: str, company: str | None, text: str) -> None:
    recorder = _current.get()
    if recorder is not None:
        recorder.frames.append(Frame(connection, person, company, text, recorder.step))
