"""A stand-in for the platform the checks that send requests again talk to (``support.invariants.strangers``'
session): it answers each request by its bearer, and keeps what was sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from support.invariants import strangers

INVOICE = "0b6f5c1e-2d3a-4c5b-8e9f-0a1b2c3d4e5f"
OTHER_INVOICE = "7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f"
INVALID = '{"error": {"code": "validation_error", "message": "amount: too many", "field": "amount"}}'


@dataclass
class Answered:
    status_code: int
    text: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakePlatform:
    """``answers`` maps a token to (status, body), or to a list of them given in turn; ``on_send`` runs as each
    request arrives (what the request changed, say)."""

    answers: dict[str, Any]
    sent: list[tuple[str, str, str, bytes | None, dict]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # every answer's
    on_send: Callable[[], Any] | None = None

    def request(self, method: str, url: str, *, data: bytes | None, headers: dict, timeout: float) -> Answered:
        token = headers["Authorization"].removeprefix("Bearer ")
        self.sent.append((token, method, url, data, headers))
        if self.on_send is not None:
            self.on_send()
        answer = self.answers[token]
        status, text = answer.pop(0) if isinstance(answer, list) else answer
        return Answered(status, text, dict(self.headers))


def platform_answering(monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any]) -> FakePlatform:
    platform = FakePlatform(answers)
    monkeypatch.setattr(strangers, "session_for", lambda purpose, url: platform)
    return platform
