"""The platform a scenario starts by hand, in the run that makes make mutation's map: everything it runs is
that scenario's, its refusal to start included (a mutant of it is judged by that scenario, not by nobody)."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from support.scenario.eventually import eventually
from support.stack.http_service import REPO_ROOT
from support.stack.line_recording import COVERED_PLATFORM, FOLDER_VARIABLE, hand_started_platform
from support.stack.processes import free_port
from support.stack.stack import PLATFORM_APP

if importlib.util.find_spec("coverage") is None:
    pytest.skip("coverage.py is installed with the bench's packages (make mutation)", allow_module_level=True)

SCENARIO = "features/operations/configuration.feature:3"


def test_outside_the_maps_run_a_scenario_starts_the_platform_itself(monkeypatch):
    monkeypatch.delenv(FOLDER_VARIABLE, raising=False)
    assert hand_started_platform(PLATFORM_APP) == (PLATFORM_APP, {})


def test_a_platform_that_refuses_to_start_records_its_lines_under_the_scenario_that_started_it(tmp_path, monkeypatch):
    import coverage

    monkeypatch.setenv(FOLDER_VARIABLE, str(tmp_path))
    (tmp_path / "current-scenario").write_text(SCENARIO)
    app, recording = hand_started_platform(PLATFORM_APP)
    assert app == COVERED_PLATFORM
    started = subprocess.run(
        [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", "0"],
        cwd=REPO_ROOT,
        env={"PATH": os.environ.get("PATH", ""), **recording},  # no settings: it refuses to start
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode == 2, started.stderr
    (data_file,) = tmp_path.glob("lines.*")
    data = coverage.CoverageData(basename=str(data_file))
    data.read()
    main = next(f for f in data.measured_files() if Path(f).resolve() == (REPO_ROOT / "app" / "main.py").resolve())
    refusal = _line_of(REPO_ROOT / "app" / "main.py", "os._exit(")
    assert data.contexts_by_lineno(main)[refusal] == [SCENARIO]
    assert data.measured_contexts() == {SCENARIO}, "nothing of a process a scenario started is start-up's"


def _line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def test_an_instance_stopped_in_the_middle_of_a_scenario_keeps_what_it_ran_in_it(stack, tmp_path):
    """An instance the stack stops (SIGTERM: a restart, a scenario's cleanup) has its lines since its last
    switch of scenario saved as it shuts down, not lost."""
    import coverage

    (tmp_path / "current-scenario").write_text(SCENARIO)
    port = free_port()
    instance = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", COVERED_PLATFORM, "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO_ROOT,
        env={**os.environ, **stack.env, FOLDER_VARIABLE: str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        eventually(lambda: _answers(f"http://127.0.0.1:{port}/health/live"), timeout=30)
    finally:
        instance.send_signal(signal.SIGTERM)
        instance.wait(20)
    lines = {}
    for data_file in tmp_path.glob("lines.*"):
        data = coverage.CoverageData(basename=str(data_file))
        data.read()
        for measured in data.measured_files():
            if measured.endswith("routes_health.py"):
                lines.update(data.contexts_by_lineno(measured))
    answered = _line_of(REPO_ROOT / "app" / "entrypoints" / "http" / "routes_health.py", "def live(") + 2
    assert lines.get(answered) == [SCENARIO], "the liveness answer, run after the instance took the scenario"


def _answers(url: str) -> None:
    try:
        requests.get(url, timeout=1).raise_for_status()
    except requests.RequestException as not_yet:
        raise AssertionError(f"{url} does not answer yet: {not_yet}") from None
