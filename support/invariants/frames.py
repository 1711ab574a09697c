"""What holds for every frame the platform sends on an assistant connection, whatever the scenario.

Pure checks over recorded text: each returns the problems it finds, in words a
reviewer reads (empty when the frame keeps the rule).
"""

from __future__ import annotations

import json
from typing import Any

from support.clients.exchanges import Frame
from support.contract import pinned
from support.invariants import values
from support.invariants.answers import secrets_shown


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_lone_surrogate(k) or _lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_lone_surrogate(v) for v in value)
    return False


def strict_json(frame: Frame) -> list[str]:
    """The frame is one JSON object as RFC 8259 writes it: no NaN or Infinity, no lone surrogate, a type."""
    try:
        message = json.loads(frame.text, parse_constant=_no_constant)
    except ValueError as exc:
        return [f"is not strict JSON ({exc})"]
    if _lone_surrogate(message):
        return ["holds half a character (a lone surrogate), which no UTF-8 reader takes"]
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        return ["is not a message with a type"]
    return []


def keeps_the_pinned_schema(frame: Frame) -> list[str]:
    """The frame is one of the messages the pinned schema describes (an event of a run in its envelope, a
    reply, a notification)."""
    return pinned.frame_problems(frame.text)


def money_and_moments_alike(frame: Frame) -> list[str]:
    """Every amount in a frame (a tool's result) a decimal string with two places, every moment in UTC."""
    return values.misshapen(frame.text)


FRAME_RULES = (strict_json, keeps_the_pinned_schema, money_and_moments_alike)
SHOWN = 300  # characters of a frame quoted in a finding


def broken_by(frame: Frame, secrets: tuple[str, ...]) -> list[str]:
    """What ``frame`` breaks of the rules of every frame (``FRAME_RULES``, its text quoted) and of no secret (the
    frame's text left out: it would show the secret again, in the report); ``secrets``: the platform's keys."""
    said = f"a frame sent to {frame.connection}"
    return [f"{said} {problem}: {frame.text[:SHOWN]}" for rule in FRAME_RULES for problem in rule(frame)] + [
        f"{said} {problem}" for problem in secrets_shown(frame.text, secrets)
    ]
