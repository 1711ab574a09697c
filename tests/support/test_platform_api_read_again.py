"""A read whose connection the server closed before answering (its idle time-out, just as the request went out)
is sent once more; a write never is."""

from __future__ import annotations

import socket
import threading

import pytest
import requests

from support.clients.platform_api import PlatformApi

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"


def _server_closing_the_first_connection() -> tuple[str, list[int]]:
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    seen: list[int] = []

    def serve() -> None:
        for n in range(2):
            connection, _ = listening.accept()
            connection.recv(65536)
            seen.append(n)
            if n:
                connection.sendall(ANSWER)
            connection.close()
        listening.close()

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{listening.getsockname()[1]}", seen


def test_a_read_whose_connection_closed_unanswered_is_sent_once_more():
    url, seen = _server_closing_the_first_connection()
    assert PlatformApi(url).call("GET", "/health/live").status == 200
    assert seen == [0, 1]


def test_a_write_whose_connection_closed_unanswered_is_not_sent_again():
    url, seen = _server_closing_the_first_connection()
    with pytest.raises(requests.ConnectionError):
        PlatformApi(url).call("POST", "/health/live", json={})
    assert seen == [0]
