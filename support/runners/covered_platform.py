"""The platform with line coverage by scenario, for ``make mutation``'s map of which scenarios run each line.
Never deployed.

    SCENARIO_COVERAGE_DIR=reports/mutation/coverage uvicorn support.runners.covered_platform:app

coverage.py records the lines of app/ this process runs, each under the name of the scenario that was running
(its dynamic context). The harness names the scenario in ``current-scenario`` in that folder and sends SIGUSR1
(``support.runners.scenario_coverage``); this process takes the name and answers in ``ack-<pid>``. What
runs while the platform starts is recorded as ``start-up``; an instance started again in the middle of a
scenario takes that scenario's name once it has started. Each switch writes what was recorded so far, so an
instance killed outright loses only the lines of its last scenario; one stopped saves them as it shuts down.

A process a scenario starts by hand (``SCENARIO_COVERAGE_WHOLE_PROCESS=1``: an operator starting the platform
with given settings) records everything under that scenario, its start-up too; and what it ran is saved even
when it refuses to start (``os._exit``, which skips what runs at exit).
"""

from __future__ import annotations

import atexit
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, NoReturn

import coverage

from support.stack.line_recording import FOLDER_VARIABLE, WHOLE_PROCESS_VARIABLE

START_UP = "start-up"  # the context of what runs while the platform is imported and started
FOLDER = Path(os.environ.get(FOLDER_VARIABLE, "reports/mutation/coverage"))
CURRENT = FOLDER / "current-scenario"
STARTED_BY_A_SCENARIO = os.environ.get(WHOLE_PROCESS_VARIABLE) == "1"

_coverage = coverage.Coverage(
    data_file=str(FOLDER / "lines"),
    data_suffix=True,  # a file per process: instances, and instances started again
    source=["app"],
    omit=["*/migrations/*"],
    concurrency=["thread", "greenlet"],  # the routes' worker threads, SQLAlchemy's greenlets
    context=None,
)


def _scenario() -> str:
    return CURRENT.read_text().strip() if CURRENT.exists() else ""


_coverage.start()
_coverage.switch_context((STARTED_BY_A_SCENARIO and _scenario()) or START_UP)


def _take_the_scenario(_signum: int = 0, _frame: object = None) -> None:
    """The scenario now running becomes the context of every line recorded from here on."""
    name = _scenario() or START_UP
    _coverage.switch_context(name)
    (FOLDER / f"ack-{os.getpid()}").write_text(name)


_saved = False


def _save() -> None:
    global _saved
    if not _saved:
        _saved = True
        _coverage.stop()
        _coverage.save()


def _exit_saving(code: int) -> NoReturn:
    """``os._exit`` (the platform refusing to start) after saving what was recorded."""
    _save()
    _exit_at_once(code)


_exit_at_once = os._exit
os._exit = _exit_saving
atexit.register(_save)

from app.main import app  # noqa: E402  (imported under coverage: its import-time lines are start-up's)

_platform_lifespan = app.router.lifespan_context


@asynccontextmanager
async def _saving_at_shutdown(application: Any) -> AsyncIterator[Any]:
    """The platform's lifespan, then what was recorded saved: without it, an instance stopped by SIGTERM (a
    restart, a scenario's cleanup) lost every line since its last switch (tests/support/test_covered_platform.py)."""
    async with _platform_lifespan(application) as state:
        yield state
    _save()


app.router.lifespan_context = _saving_at_shutdown
_take_the_scenario()
signal.signal(signal.SIGUSR1, _take_the_scenario)
