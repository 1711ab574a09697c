"""An ASGI app run by uvicorn as its own process, ready once a URL answers 200."""

from __future__ import annotations

import sys
from pathlib import Path

import requests

from support.scenario.eventually import eventually
from support.stack.processes import ForkedProcess, ManagedProcess, free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


class HttpService:
    def __init__(
        self,
        name: str,
        app: str,
        *,
        log_dir: Path,
        env: dict[str, str],
        ready_path: str,
        workers: int = 1,
        options: tuple[str, ...] = (),
    ) -> None:
        """``options``: more uvicorn command-line options."""
        self.name = name
        self._workers = workers
        self._options = options
        self._app = app
        log_dir.mkdir(parents=True, exist_ok=True)
        self._log_path = log_dir / f"{name}.log"
        self._env = env
        self._settings: dict[str, str] = {}
        self._ready_path = ready_path
        self.port = free_port()
        self.process: ManagedProcess | ForkedProcess | None = None

    @property
    def log_path(self) -> Path:
        return self._log_path

    @property
    def environment(self) -> dict[str, str]:
        """The environment it runs with (its settings changed since the first start included)."""
        return {**self._env, **self._settings}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0, settings: dict[str, str] | None = None) -> None:
        """``settings``: environment variables to change from this start on (None: as first started)."""
        self._settings = dict(settings or {})
        self.launch()
        self.wait_ready(timeout)

    def launch(self) -> None:
        self.process = ManagedProcess(
            self.name,
            [sys.executable, "-m", "uvicorn", *self.uvicorn_arguments()],
            log_path=self._log_path,
            env={**self._env, **self._settings},
            cwd=REPO_ROOT,
        )

    def uvicorn_arguments(self) -> list[str]:
        """uvicorn's command line for this service, after ``uvicorn``."""
        return [
            self._app,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--no-access-log",
            "--log-level",
            "warning",
            "--workers",
            str(self._workers),
            *self._options,
        ]

    def forkable_with(self, other: HttpService) -> bool:
        """Whether this service and ``other`` can be forked from one import: same app, settings and options,
        one worker each (more workers are uvicorn's own processes)."""
        return (self._app, self._env, self._settings, self._options, self._workers) == (
            other._app,
            other._env,
            other._settings,
            other._options,
            other._workers,
        ) and self._workers == 1

    def adopt(self, process: ForkedProcess) -> None:
        """Takes ``process`` (forked elsewhere, serving this service's port) as this service's process."""
        self.process = process

    def boot(self, timeout: float = 30.0, settings: dict[str, str] | None = None) -> None:
        """Starts the service and waits only until it is alive (its liveness path answers), ready or not;
        ``settings`` as for ``start``."""
        self._settings = dict(settings or {})
        self.launch()
        live = self._ready_path.rsplit("/", 1)[0] + "/live"
        eventually(
            lambda: self._answers(live),
            timeout=timeout,
            interval=0.1,
            retry_on=(requests.ConnectionError, AssertionError),
        )

    def _answers(self, path: str) -> None:
        if self.process is not None and not self.process.running():
            raise RuntimeError(f"{self.name} exited at start:\n{self.process.log_tail()}")
        response = requests.get(self.url + path, timeout=2)
        assert response.status_code == 200, f"{self.name} {path}: {response.status_code}"

    def wait_ready(self, timeout: float = 30.0) -> None:
        eventually(self._ready, timeout=timeout, interval=0.1, retry_on=(requests.ConnectionError, AssertionError))

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

    def kill(self) -> None:
        """Kills the service at once (SIGKILL): no shutdown, nothing flushed, as a crashed host would."""
        if self.process is not None:
            self.process.kill()

    def _ready(self) -> None:
        if self.process is not None and not self.process.running():
            raise RuntimeError(
                f"{self.name} exited at start"
                f"{'' if self.process.returncode is None else f' (code {self.process.returncode})'}:\n"
                f"{self.process.log_tail()}"
            )
        response = requests.get(self.url + self._ready_path, timeout=2)
        assert response.status_code == 200, f"{self.name} not ready: {response.status_code} {response.text}"
