"""The doubles a stack starts, served together by one process (``support.doubles.serve``)."""

from __future__ import annotations

import sys
from pathlib import Path

import requests

from support import doubles
from support.scenario.eventually import eventually
from support.stack.http_service import REPO_ROOT
from support.stack.processes import ManagedProcess, free_port


class DoublesProcess:
    def __init__(self, names: list[str], *, log_dir: Path, env: dict[str, str]) -> None:
        self.ports = {name: free_port() for name in names}
        log_dir.mkdir(parents=True, exist_ok=True)
        self._log_path = log_dir / "doubles.log"
        self._env = env
        self.process: ManagedProcess | None = None

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def launch(self) -> None:
        self.process = ManagedProcess(
            "doubles",
            [sys.executable, "-m", "support.doubles.serve", *(f"{name}={port}" for name, port in self.ports.items())],
            log_path=self._log_path,
            env=self._env,
            cwd=REPO_ROOT,
        )

    def wait_ready(self, timeout: float = 30.0) -> None:
        eventually(self._ready, timeout=timeout, interval=0.05, retry_on=(requests.ConnectionError, AssertionError))

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

    def _ready(self) -> None:
        if self.process is not None and not self.process.running():
            raise RuntimeError(f"the doubles exited at start:\n{self.process.log_tail()}")
        for name in self.ports:
            response = requests.get(self.url(name) + doubles.HEALTH, timeout=2)
            assert response.status_code == 200, f"{name} not ready: {response.status_code}"
