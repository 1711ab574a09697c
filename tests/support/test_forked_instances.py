"""The two platform instances are forked from one import, yet each lives, dies and restarts on its own."""

from __future__ import annotations

import os
from pathlib import Path

import psutil
import pytest
import requests

from support.scenario.eventually import eventually
from support.stack.forked_instances import ForkedInstances
from support.stack.processes import ForkedProcess
from support.stack.stack import Stack
from tests.support.process_checks import all_gone, descendants, started_since


def _answers(url: str) -> bool:
    try:
        return requests.get(url + "/health/live", timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


@pytest.fixture(scope="module")
def stack():
    with Stack({}) as running:
        yield running


def test_both_instances_are_children_of_one_forking_process_each_in_a_session_of_its_own(stack):
    instances = [psutil.Process(s.process.pid) for s in (stack.platform, stack.platform_2)]
    parents = {p.ppid() for p in instances}
    assert len(parents) == 1, parents
    assert parents != {os.getpid()}, "forked by the stack's forking process, not by the stack itself"
    assert all(os.getsid(p.pid) == p.pid for p in instances), "each leads its own session"
    assert all(isinstance(s.process, ForkedProcess) for s in (stack.platform, stack.platform_2))
    assert all(_answers(url) for url in stack.env["PLATFORM_URLS"].split(","))


def test_one_instance_killed_leaves_the_other_serving_and_restarts_as_a_process_of_its_own(stack):
    forked = stack.platform_2.process
    stack.control.act("platform-2", "kill")
    assert not forked.running()
    assert _answers(stack.platform.url), "the other instance still serves"
    assert not _answers(stack.platform_2.url)
    eventually(lambda: _assert_in("[platform-2 exited with code -9]", Path(forked.log_path).read_text()), timeout=5)
    stack.control.act("platform-2", "start")
    restarted = psutil.Process(stack.platform_2.process.pid)
    assert restarted.ppid() == os.getpid(), "a restart is a fresh process of the stack's, which reads the code again"
    assert _answers(stack.platform_2.url)


def test_an_instance_told_to_stop_ends_alone(stack):
    assert isinstance(stack.platform.process, ForkedProcess), "only the second instance is restarted here"
    pid = stack.platform.process.pid
    stack.platform.stop()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert _answers(stack.platform_2.url)
    stack.platform.start()
    assert _answers(stack.platform.url)


def test_the_stack_stops_the_forking_process_and_every_instance():
    before = descendants()
    with Stack({}):
        started = started_since(before)
        assert any("support.stack.forked_instances" in " ".join(p.cmdline()) for p in started)
    eventually(lambda: all_gone(started), timeout=10)


class _Unimportable:
    def __init__(self, name: str, log_path: Path) -> None:
        self.name, self.log_path = name, log_path

    def uvicorn_arguments(self) -> list[str]:
        return ["no_such_module:app", "--port", "9"]


def test_an_app_that_cannot_be_imported_fails_the_start_with_its_reason(tmp_path):
    forked = ForkedInstances(
        "no_such_module:app",
        [_Unimportable("platform", tmp_path / "platform.log")],
        log_dir=tmp_path,
        run_dir=tmp_path,
        env=dict(os.environ),
    )
    forked.launch()
    try:
        with pytest.raises(RuntimeError, match="ModuleNotFoundError"):
            forked.wait_ready(timeout=20)
    finally:
        forked.stop()


def _assert_in(part: str, text: str) -> None:
    assert part in text, text[-500:]
