"""The audit's specification runs: behave in its own process group per run, a stack each, N at a time."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from support.runners.audit_results import ScenarioOutcome, read_outcomes
from support.stack.processes import die_with_parent
from support.stack.stack import ADDRESS_VARIABLES

CONTROL = "control (no defect)"


@dataclass
class Run:
    defect: str | None  # None: the control run
    folder: Path
    selection: list[str] | None = None  # None: the audit's selection
    seconds: float = 0.0
    outcomes: list[ScenarioOutcome] | None = None
    problem: str = ""

    @property
    def label(self) -> str:
        return self.defect or CONTROL


class Runner:
    """Starts behave runs as their own process groups, so a time-out or Ctrl-C stops each with its stack."""

    def __init__(self, selection: list[str], timeout: float) -> None:
        """``selection``: behave arguments picking the scenarios, for runs that do not name their own."""
        self._selection = selection
        self._timeout = timeout
        self._live: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self.stopping = False

    def run(self, run: Run) -> Run:
        shutil.rmtree(run.folder, ignore_errors=True)  # this run's own folder, named after its defect
        run.folder.mkdir(parents=True)
        report = run.folder / "behave.json"
        env = {k: v for k, v in os.environ.items() if k not in ADDRESS_VARIABLES and k != "PLANTED_DEFECT"}
        env["STACK_LOG_DIR"] = str((run.folder / "stack-logs").resolve())
        if run.defect:
            env["PLANTED_DEFECT"] = run.defect
        command = [
            sys.executable,
            "-m",
            "behave",
            "--no-junit",
            "--no-summary",
            "-f",
            "json",
            "-o",
            str(report),
            "-f",
            "plain",
            "-o",
            str(run.folder / "behave.log"),
            *(self._selection if run.selection is None else run.selection),
        ]
        began = time.monotonic()
        with open(run.folder / "output.log", "w") as output:
            with self._lock:
                if self.stopping:
                    run.problem = "not run: the audit was stopped"
                    return run
                # Its own group (stopped as one), and told to stop if the audit itself is killed.
                process = subprocess.Popen(
                    command,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=die_with_parent(signal.SIGTERM),
                )
                self._live.add(process)
            try:
                process.wait(self._timeout)
            except subprocess.TimeoutExpired:
                run.problem = f"stopped after the {self._timeout:.0f} s time limit"
                _stop(process)
            finally:
                with self._lock:
                    self._live.discard(process)
        run.seconds = time.monotonic() - began
        if not run.problem:
            try:
                run.outcomes = read_outcomes(report)
            except ValueError:
                tail = (run.folder / "output.log").read_text(errors="replace").strip().splitlines()[-3:]
                run.problem = f"behave exited {process.returncode} without a report: {' | '.join(tail)}"
        return run

    def stop_all(self) -> None:
        with self._lock:
            self.stopping = True
            live = list(self._live)
        for process in live:
            _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the run's group (behave stops its stack on the way out), SIGKILL after 20 s."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def run_all(runner: Runner, runs: list[Run], parallel: int, phase: str) -> None:
    """Runs ``runs`` ``parallel`` at a time, printing a line as each ends; Ctrl-C stops them all."""
    finished = 0
    lock = threading.Lock()

    def one(run: Run) -> None:
        nonlocal finished
        runner.run(run)
        if runner.stopping:
            return  # stopped half-way: what it wrote proves nothing
        failing = sum(o.failing for o in run.outcomes or [])
        with lock:
            finished += 1
            told = run.problem or f"{failing} of {len(run.outcomes or [])} scenarios failed"
            print(
                f"audit-spec: {phase} [{finished:>2}/{len(runs)}] {run.label}: {told} ({run.seconds:.0f} s)", flush=True
            )

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        futures = [pool.submit(one, run) for run in runs]
        try:
            wait(futures)  # interruptible: Ctrl-C and SIGTERM (made KeyboardInterrupt) arrive here
        except KeyboardInterrupt:
            print("audit-spec: stopping the runs and their stacks", file=sys.stderr, flush=True)
            runner.stop_all()
            raise


def failing(run: Run) -> set[str]:
    return {o.location for o in run.outcomes or [] if o.failing}
