"""Tool results as the model may see them: no markup, no secrets, nothing oversized.

Pure functions. Results are built from the caller's company only (the tools
filter by company); this removes what must never reach a model or a browser
even from the caller's own data.
"""

from __future__ import annotations

import html
import re
from typing import Any

SECRET_KEYS = re.compile(r"(pass(word)?|secret|token|api[_-]?key|authorization|hash)", re.I)
SECRET_VALUES = re.compile(r"\b(sk|pk|rk)_[A-Za-z0-9_]{8,}|\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
MARKUP = re.compile(r"<[^>]{0,200}>")
REDACTED = "[redacted]"
MAX_TEXT = 500


def clean_text(text: str) -> str:
    """Removes tags (and unescapes entities), hides secret-looking values, bounds the length."""
    without_tags = html.unescape(MARKUP.sub("", text))
    without_tags = MARKUP.sub("", without_tags)  # tags that were entity-escaped
    hidden = SECRET_VALUES.sub(REDACTED, without_tags)
    return hidden if len(hidden) <= MAX_TEXT else hidden[:MAX_TEXT] + "…"


def sanitise(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: REDACTED if SECRET_KEYS.search(str(k)) else sanitise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [sanitise(v) for v in value[:100]]
    if isinstance(value, str):
        return clean_text(value)
    return value
