"""Evidence for the Allure report: every exchange and check a step makes.

Attachments land on the step that is running; outside a scenario (the run's
start and end) there is no result to carry them, and they are dropped. Secrets (tokens, keys,
passwords) are masked before anything is written.
"""

from __future__ import annotations

import json
from typing import Any

import allure

MASK = "***"
SECRET_KEYS = frozenset(
    {"password", "access_token", "token", "authorization", "x-admin-key", "token_secret", "platform_admin_key"}
)


def masked(value: Any) -> Any:
    """A copy of ``value`` with every secret-named key's value replaced by ``***``."""
    if isinstance(value, dict):
        return {k: MASK if str(k).lower() in SECRET_KEYS else masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value


ATTACHMENT_CHARACTERS = 6_000  # past this an attachment is cut: the whole specification's report stays small


def attach_json(name: str, content: Any) -> None:
    """``content`` as JSON on the running step; a long one cut to ATTACHMENT_CHARACTERS (as text, saying so)."""
    text = json.dumps(masked(content), indent=1, default=str, ensure_ascii=False)
    if len(text) > ATTACHMENT_CHARACTERS:
        cut = f"{text[:ATTACHMENT_CHARACTERS]}\n… cut here: {len(text) - ATTACHMENT_CHARACTERS} characters more"
        _attach(cut, f"{name} (cut)", allure.attachment_type.TEXT)
        return
    _attach(text, name, allure.attachment_type.JSON)


def attach_svg(name: str, content: str) -> None:
    """An image (a chart) drawn as SVG."""
    _attach(content, name, allure.attachment_type.SVG)


def attach_text(name: str, content: str) -> None:
    _attach(content, name, allure.attachment_type.TEXT)


def _attach(body: str, name: str, kind: Any) -> None:
    try:
        allure.attach(body, name=name, attachment_type=kind)
    except KeyError:  # outside any scenario (the run's own start or end): no result to attach to
        pass


EXCHANGE_BODY_CHARACTERS = 600  # of each answer's body, in the step's attachment


def attach_exchanges(kept: list[tuple[str, dict]]) -> None:
    """A step's HTTP exchanges as one attachment, named by the first few (each body cut to
    EXCHANGE_BODY_CHARACTERS: the report of the whole specification stays within its size budget)."""
    if not kept:
        return
    titles = [title for title, _ in kept]
    name = f"HTTP: {'; '.join(titles[:2])}" + (f" (+{len(titles) - 2} more)" if len(titles) > 2 else "")
    shown = [{"exchange": title, **{side: _cut(part) for side, part in exchange.items()}} for title, exchange in kept]
    text = json.dumps(masked(shown), separators=(",", ":"), default=str, ensure_ascii=False)
    _attach(text, name, allure.attachment_type.JSON)


def _cut(part: Any) -> Any:
    """A request's or an answer's body cut to EXCHANGE_BODY_CHARACTERS (as text, saying how long it was)."""
    if not isinstance(part, dict) or "body" not in part:
        return part
    body = part["body"]
    text = body if isinstance(body, str) else json.dumps(body, default=str, ensure_ascii=False)
    if len(text) <= EXCHANGE_BODY_CHARACTERS:
        return part
    return {**part, "body": f"{text[:EXCHANGE_BODY_CHARACTERS]} … ({len(text)} characters in all)"}
