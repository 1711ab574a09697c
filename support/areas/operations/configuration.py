"""The platform started by hand with given settings, as an operator would: does it start, and what does it say.

Only with the embedded stack (the platform's code is here); the process is stopped at cleanup either way.
World facts written here: ``operations.started_platform``."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

from hamcrest import assert_that, contains_string, equal_to, is_not

from support.report.evidence import attach_text
from support.scenario.world import World
from support.stack.http_service import REPO_ROOT
from support.stack.line_recording import hand_started_platform
from support.stack.stack import PLATFORM_APP

STARTS_WITHIN_SECONDS = 30


@dataclass(frozen=True)
class Started:
    exit_code: int | None  # None: still running when the time was up
    printed: str


def start_with(world: World, settings: dict[str, str]) -> None:
    """Starts ``uvicorn app.main:app`` with exactly ``settings`` (a value of "(missing)" leaves one out)."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "")}
    env.update({name: value for name, value in settings.items() if value != "(missing)"})
    app, recording = hand_started_platform(PLATFORM_APP)  # make mutation's map: its lines are this scenario's
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", "0"],
        cwd=REPO_ROOT,
        env={**env, **recording},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    world.on_cleanup(process.kill)
    try:
        printed, _ = process.communicate(timeout=STARTS_WITHIN_SECONDS)
        started = Started(process.returncode, printed)
    except subprocess.TimeoutExpired:
        process.kill()
        started = Started(None, process.communicate()[0])
    attach_text(f"the platform's output (exit code {started.exit_code})", started.printed)
    world.operations.started_platform = started


def refused_to_start(world: World, exit_code: int) -> None:
    started: Started = world.operations.started_platform
    assert_that(started.exit_code, equal_to(exit_code), "the platform's exit code")
    assert_that(started.printed, is_not(contains_string("Traceback")), "what it printed (a message, not a crash)")


def named(world: World, settings: list[str]) -> None:
    printed = world.operations.started_platform.printed
    for setting in settings:
        assert_that(printed, contains_string(setting), "the settings named as wrong")


def not_named(world: World, settings: list[str]) -> None:
    complaint = next(
        (line for line in world.operations.started_platform.printed.splitlines() if "invalid configuration" in line), ""
    )
    for setting in settings:
        assert_that(complaint, is_not(contains_string(setting + " ")), "a setting that is right is not named")


def nothing_secret_printed(world: World, secrets: list[str]) -> None:
    printed = world.operations.started_platform.printed
    for secret in secrets:
        assert_that(printed, is_not(contains_string(secret)), "what the platform printed")
