"""Platform instances forked from one process that imported the platform once.

    python -m support.stack.forked_instances PLAN_JSON

PLAN_JSON: ``{"app": "app.main:app", "pids": FILE, "instances": [{"name": ..., "log": FILE, "argv": [...]}]}``,
``argv`` being uvicorn's command-line arguments for that instance (app, host, port, options).

Importing the platform costs about a CPU-second, and a stack starts two instances on a machine whose two
cores also start PostgreSQL, Redis and the doubles. This process imports the app (and uvicorn) once, then
forks one child per instance. Each child is a session of its own (stopped or killed alone, as a separately
started process would be), writes to its own log and runs uvicorn on its own port; it dies with this
process, and this process with the stack (parent-death signals). The children's pids are written to the
pids file (JSON, name to pid) once all are forked. This process reaps its children, writes each one's exit
code at the end of its log, passes SIGTERM on to those still running, and ends when none is left.

Only a stack's first start is forked: an instance restarted later is a fresh process that reads the code on
disk again (mutation runs depend on it).
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from support.scenario.eventually import eventually
from support.stack.http_service import REPO_ROOT, HttpService
from support.stack.processes import ForkedProcess, ManagedProcess, set_parent_death_signal


class ForkedInstances:
    """The stack's side: starts the forking process for ``services`` (each keeping its port and log), then
    hands each service its forked process. Stopping it stops any instance still running."""

    name = "platform-fork"

    def __init__(self, app: str, services: list[HttpService], *, log_dir: Path, run_dir: Path, env: dict[str, str]):
        self._services = services
        self._pids = run_dir / "platform-pids.json"
        self._plan = {
            "app": app,
            "pids": str(self._pids),
            "instances": [{"name": s.name, "log": str(s.log_path), "argv": s.uvicorn_arguments()} for s in services],
        }
        self._log_path = log_dir / f"{self.name}.log"
        self._env = env
        self.process: ManagedProcess | None = None

    def launch(self) -> None:
        self.process = ManagedProcess(
            self.name,
            [sys.executable, "-m", "support.stack.forked_instances", json.dumps(self._plan)],
            log_path=self._log_path,
            env=self._env,
            cwd=REPO_ROOT,
        )

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Until the instances are forked (not yet serving: each service waits for its own readiness)."""
        eventually(self._adopt, timeout=timeout, interval=0.02, retry_on=(FileNotFoundError,))

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

    def _adopt(self) -> None:
        if self.process is not None and not self.process.running() and not self._pids.exists():
            raise RuntimeError(f"the platform's forking process exited at start:\n{self.process.log_tail()}")
        pids = json.loads(self._pids.read_text())
        for service in self._services:
            service.adopt(ForkedProcess(service.name, pids[service.name], log_path=service.log_path))


def main(plan: dict[str, Any]) -> int:
    importlib.import_module(plan["app"].split(":", 1)[0])  # the import the children share
    from uvicorn.main import main as uvicorn_command

    sys.stdout.flush()
    sys.stderr.flush()
    children: dict[int, dict[str, Any]] = {}
    for instance in plan["instances"]:
        pid = os.fork()
        if pid == 0:
            _serve(uvicorn_command, instance)  # never returns
        children[pid] = instance
    pids_file = Path(plan["pids"])
    partial = pids_file.with_suffix(".partial")
    partial.write_text(json.dumps({instance["name"]: pid for pid, instance in children.items()}))
    partial.rename(pids_file)  # whole or absent, for the stack that waits for it

    def pass_on(signum: int, _frame: object) -> None:
        for pid in children:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, pass_on)
    signal.signal(signal.SIGINT, pass_on)
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        instance = children.pop(pid, None)
        if instance is not None:
            with open(instance["log"], "a") as log:
                log.write(f"[{instance['name']} exited with code {os.waitstatus_to_exitcode(status)}]\n")
    return 0


def _serve(uvicorn_command: Any, instance: dict[str, Any]) -> None:
    """In the child: its own session, its own log, uvicorn on its port; exits with uvicorn's code."""
    code = 1
    try:
        os.setsid()
        set_parent_death_signal(signal.SIGTERM)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        # written only at its end, like every log of the stack's (support.stack.processes._fresh_log)
        log = os.open(instance["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        try:
            uvicorn_command.main(args=instance["argv"], prog_name="uvicorn", standalone_mode=True)
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException as exc:  # anything at all: said in the log, never back into the parent's loop
        print(f"{instance['name']}: could not start: {type(exc).__name__}: {exc}", file=sys.stderr)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


if __name__ == "__main__":
    code = main(json.loads(sys.argv[1]))
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # no interpreter teardown of the platform's modules: measured 0.4 s of every stack's stop
