"""A time limit on every scenario, so one hung wait fails its scenario instead of stalling the run.

Each scenario gets ``SCENARIO_TIME_LIMIT`` seconds (120 unless set, or ``-D scenario_time_limit=N``);
``@time_limit:N`` on a scenario or its feature gives it N instead. Past it, a SIGALRM raises
``ScenarioTimeLimitExceeded`` in whatever the scenario is waiting on: the scenario fails saying so,
its cleanup runs (with ``CLEANUP_SECONDS`` of its own), and the run goes on with the next one.

The exception is deliberately not an ``AssertionError``: ``eventually`` retries those, and it must not
swallow the end of the scenario's time.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterable, Mapping
from typing import Any

DEFAULT_SECONDS = 120
CLEANUP_SECONDS = 60
TAG = "time_limit:"


class ScenarioTimeLimitExceeded(Exception):
    pass


def seconds_for(tags: Iterable[str], userdata: Mapping[str, str] | None = None) -> int:
    """The tag's limit when one is given, else the run's default."""
    for tag in tags:
        if tag.startswith(TAG):
            return _positive(tag.removeprefix(TAG), f"@{tag}")
    given = (userdata or {}).get("scenario_time_limit") or os.environ.get("SCENARIO_TIME_LIMIT")
    return _positive(given, "SCENARIO_TIME_LIMIT") if given else DEFAULT_SECONDS


def arm_for(scenario: Any, userdata: Mapping[str, str] | None = None) -> None:
    """Before a scenario: its own limit."""
    start(seconds_for(scenario.effective_tags, userdata), f"the scenario {scenario.name!r}")


def arm_for_cleanup(scenario: Any) -> None:
    """After a scenario: behave runs its cleanups after this hook, and they get a limit of their own."""
    start(CLEANUP_SECONDS, f"the cleanup of the scenario {scenario.name!r}")


def start(seconds: int, what: str) -> None:
    """Arms the limit for ``what`` (a scenario, or its cleanup); the next ``start`` or ``stop`` replaces it."""

    def _exceeded(_signum: int, _frame: Any) -> None:
        signal.alarm(0)
        raise ScenarioTimeLimitExceeded(
            f"{what} ran past its time limit of {seconds} s "
            f"(set SCENARIO_TIME_LIMIT, or tag the scenario @{TAG}N to give it N seconds)"
        )

    signal.signal(signal.SIGALRM, _exceeded)
    signal.alarm(seconds)


def stop() -> None:
    signal.alarm(0)


def _positive(text: str, where: str) -> int:
    try:
        seconds = int(text)
    except ValueError:
        seconds = 0
    if seconds <= 0:
        raise ValueError(f"{where}: a time limit is a whole number of seconds above 0, not {text!r}")
    return seconds
