"""The stack starts everything on loopback and leaves no process behind, however the run ends."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
import requests

from support.scenario.eventually import eventually
from support.stack.http_service import REPO_ROOT
from support.stack.stack import Stack
from tests.support.process_checks import all_gone, descendants, started_since


def test_stack_starts_every_service_and_stops_every_process():
    before = descendants()
    with Stack({}) as stack:
        assert requests.get(stack.env["PLATFORM_URL"] + "/health/ready", timeout=5).json()["dependencies"] == {
            "database": "up",
            "cache": "up",
            "analytics": "up",
            "payment_processor": "up",
            "model": "up",
        }
        started = started_since(before)
        assert len(started) >= 4, "postgres (and its workers), redis, payment processor, platform"
        assert stack.startup_seconds < 15
    eventually(lambda: all_gone(started), timeout=10)


def test_stack_with_platform_url_starts_nothing():
    before = descendants()
    with Stack({"PLATFORM_URL": "http://127.0.0.1:9"}) as stack:
        assert not stack.embedded
        assert started_since(before) == set()
        assert stack.env["PLATFORM_URL"] == "http://127.0.0.1:9"


def test_stack_stops_what_it_started_when_start_up_fails(monkeypatch):
    before = descendants()

    def platform_never_ready(self, timeout=30.0):  # everything else is started by then
        if self.name == "platform":
            raise RuntimeError("boom")

    monkeypatch.setattr("support.stack.http_service.HttpService.wait_ready", platform_never_ready)
    stack = Stack({})
    with pytest.raises(RuntimeError, match="boom"):
        stack.start()
    eventually(lambda: all_gone(started_since(before)), timeout=10)


# Started as from a terminal, with Ctrl-C at its default: a run started in the background by a shell without
# job control inherits SIGINT ignored, and a launcher started so would rightly never see Ctrl-C.
AS_FROM_A_TERMINAL = (
    sys.executable,
    "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.executable, sys.argv[1:])",
    sys.executable,
)


def _launch(*command: str) -> tuple[subprocess.Popen, set[int]]:
    launcher = subprocess.Popen(
        [*AS_FROM_A_TERMINAL, "-m", "support.stack.launcher", "--", *command],
        cwd=REPO_ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = launcher.stderr.readline()
    assert "stack:" in line, line
    tree = set(psutil.Process(launcher.pid).children(recursive=True))
    return launcher, tree


def test_launcher_exports_addresses_and_returns_the_command_exit_code():
    probe = (
        "import os,sys; sys.exit(0 if all(os.environ.get(v) for v in "
        "('PLATFORM_URL','DATABASE_URL','REDIS_URL','PAYMENT_PROCESSOR_URL','PLATFORM_ADMIN_KEY')) else 3)"
    )
    assert (
        subprocess.run(
            [sys.executable, "-m", "support.stack.launcher", "--", sys.executable, "-c", probe],
            cwd=REPO_ROOT,
            capture_output=True,
        ).returncode
        == 0
    )
    assert (
        subprocess.run(
            [sys.executable, "-m", "support.stack.launcher", "--", sys.executable, "-c", "raise SystemExit(7)"],
            cwd=REPO_ROOT,
            capture_output=True,
        ).returncode
        == 7
    )


def test_ctrl_c_stops_the_whole_stack():
    launcher, tree = _launch("sleep", "60")
    launcher.send_signal(signal.SIGINT)
    try:
        launcher.wait(30)
    except subprocess.TimeoutExpired:
        status = Path(f"/proc/{launcher.pid}/status").read_text()
        signals = [line for line in status.splitlines() if line.startswith(("SigBlk", "SigIgn", "SigCgt", "State"))]
        alive = [" ".join(c.cmdline()[:4]) for c in psutil.Process(launcher.pid).children(recursive=True)]
        launcher.kill()
        raise AssertionError(
            f"the launcher is still running 30 s after Ctrl-C: {signals}; its children: {alive}"
        ) from None
    assert launcher.returncode == 130
    eventually(lambda: all_gone(tree), timeout=15)


def test_a_killed_launcher_leaves_no_server_behind():
    launcher, _ = _launch("sleep", "60")
    # the command is started just after the launcher's line: waited for, so that it is killed at the end too
    tree = eventually(lambda: _tree_with_command(launcher), timeout=10)
    os.kill(launcher.pid, signal.SIGKILL)
    launcher.wait(10)
    try:
        # the launched command itself is not a server; asked each time, as a trampoline still becoming
        # ``sleep`` when the launcher was killed (on a busy machine) is the command all the same
        eventually(lambda: all_gone({p for p in tree if not _is_sleep(p)}), timeout=20)
    finally:
        for process in tree:
            if _is_sleep(process):
                with contextlib.suppress(psutil.NoSuchProcess):
                    process.kill()


def _tree_with_command(launcher: subprocess.Popen) -> set[psutil.Process]:
    tree = set(psutil.Process(launcher.pid).children(recursive=True))
    assert any(_is_sleep(p) for p in tree), "the launched command has not started yet"
    return tree


def _is_sleep(process: psutil.Process) -> bool:
    """The launched command: ``sleep``, or the launcher's trampoline that is about to become it."""
    try:
        return "sleep" in process.cmdline()
    except psutil.NoSuchProcess:
        return False
