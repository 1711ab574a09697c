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


ATTACHMENT_CHARACTERS = 16_000  # past this an attachment is cut: the whole specification's report stays small


def attach_json(name: str, content: Any) -> None:
    """``content`` as JSON on the running step; a long one cut to ATTACHMENT_CHARACTERS (as text, saying so)."""
    text = json.dumps(masked(content), indent=1, default=str, ensure_ascii=False)
    if len(text) > ATTACHMENT_CHARACTERS:
        cut = f"{text[:ATTACHMENT_CHARACTERS]}\n… cut here: {len(text) - ATTACHMENT_CHARACTERS} characters more"
        _attach(cut, f"{name} (cut)", allure.attachment_type.TEXT)
        return
    _attach(text, name, allure.attachment_type.JSON)


def attach_text(name: str, content: str) -> None:
    _attach(content, name, allure.attachment_type.TEXT)


def _attach(body: str, name: str, kind: Any) -> None:
    try:
        allure.attach(body, name=name, attachment_type=kind)
    except KeyError:  # outside any scenario (the run's own start or end): no result to attach to
        pass
