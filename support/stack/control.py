"""Stops and starts the stack's own PostgreSQL and Redis for fault scenarios, over HTTP.

The process that owns the stack serves this; behave workers (and scenarios in
any process) reach it at ``STACK_CONTROL_URL``:

    POST /postgres/stop   POST /postgres/start   POST /postgres/restart
    POST /postgres/standby                          (a standby kept in step by synchronous streaming replication)
    POST /postgres/fail-over                        (the primary lost, the standby promoted in its place)
    POST /redis/stop      POST /redis/start
    POST /platform-2/kill POST /platform-2/start    (the second platform instance)
    POST /platform-2/boot                           (started, waited for until alive only: ready or not;
                                                     settings changed as for restart)
    POST /platform-2/restart {"settings": {"TOKEN_SECRET": "..."}}   (restarted with settings changed)

A restarted server keeps its port and data; ``kill`` is SIGKILL, as a crash. The server is single-threaded on
purpose: every restarted child is spawned by this one long-lived thread, so the
kernel's parent-death signal (bound to the spawning thread) fires only when the
stack itself goes away.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Protocol

ACTIONS = ("stop", "start", "restart", "kill", "boot", "standby", "fail-over")


class RestartableServer(Protocol):
    def start(self, timeout: float = ...) -> None: ...
    def stop(self) -> None: ...
    def kill(self) -> None: ...


def _running(server: RestartableServer) -> bool:
    process = getattr(server, "process", None)
    return process is not None and process.running()


class StackControl:
    def __init__(self, servers: dict[str, RestartableServer]) -> None:
        self._servers = servers
        self._http = HTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._http.serve_forever,
            kwargs={"poll_interval": 0.05},  # how long close() may wait for it (0.5 s by default, on every stop)
            name="stack-control",
            daemon=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}"

    def start(self) -> StackControl:
        self._thread.start()
        return self

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def act(self, server: str, action: str, settings: dict[str, str] | None = None) -> dict[str, object]:
        target = self._servers[server]
        began = time.monotonic()
        if action == "kill":
            target.kill()
        seats: dict[str, object] = {}
        if action == "standby":  # the database only: a standby at its second seat
            seats = target.keep_standby()  # type: ignore[attr-defined]
        if action == "fail-over":
            seats = target.fail_over()  # type: ignore[attr-defined]
        if action == "boot":  # an HTTP service only: started, and alive, whether its dependencies are there or not
            target.stop()
            target.boot(timeout=30.0, settings=settings)  # type: ignore[attr-defined]
        if action in ("stop", "restart"):
            target.stop()
        if action == "restart" or (action == "start" and not _running(target)):
            if settings is None:
                target.start(timeout=30.0)
            else:  # only an HTTP service takes settings; anything else refuses them here
                target.start(timeout=30.0, settings=settings)  # type: ignore[call-arg]
        return {"server": server, "action": action, "seconds": round(time.monotonic() - began, 3), **seats}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        control = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                parts = self.path.strip("/").split("/")
                if len(parts) != 2 or parts[0] not in control._servers or parts[1] not in ACTIONS:
                    self._answer(404, {"error": f"no such action: {self.path}; servers: {sorted(control._servers)}"})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else {}
                try:
                    self._answer(200, control.act(*parts, settings=body.get("settings")))
                except Exception as exc:  # the caller's scenario fails with the reason
                    self._answer(500, {"error": f"{type(exc).__name__}: {exc}"})

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: object) -> None:
                pass

        return Handler
