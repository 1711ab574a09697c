"""The checks' own requests reach a platform on this machine whatever proxy the environment names (they look
none up), and a platform elsewhere as the environment says."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from support.clients.unrecorded import session_for


class _Answers(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"here")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_platform_on_this_machine_is_reached_past_a_proxy_the_environment_names(monkeypatch, local_url):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("NO_PROXY", "")
    assert session_for("test", local_url).get(local_url, timeout=5).text == "here"


def test_a_platform_elsewhere_is_reached_as_the_environment_says():
    assert session_for("test", "https://platform.example.com").trust_env
    assert session_for("test", "https://platform.example.com") is session_for("test", "https://other.example.com")
    assert session_for("test", "http://localhost:8000") is not session_for("strangers", "http://localhost:8000")
