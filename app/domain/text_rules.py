"""What text the platform takes: one set of rules for the HTTP API and the assistant's tools.

Text the database can store and a person can read: no control characters (nor
those that reorder the text after them), no lone UTF-16 surrogates (which no
database text column or UTF-8 frame can carry), and names neither start nor end
with a space. Character classes are
spelled out (no \\s) so the patterns mean the same to the platform (Python
``re``) and to clients (ECMA regex), which read them in the OpenAPI document.
"""

from __future__ import annotations

import re

# the controls that reorder what follows them (embeddings, overrides, isolates): a name holding U+202E shows its
# letters backwards ("Trojan Source"); the marks that only tell a direction (U+200E, U+200F, U+061C) stay
REORDERING = r"\u202a-\u202e\u2066-\u2069"
VISIBLE = rf"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff{REORDERING}]"
IN_LINE = rf"[^\x00-\x1f\x7f-\x9f{REORDERING}]"
IN_TEXT = rf"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{REORDERING}]"  # a text may hold tabs and line breaks
# a character of an e-mail address: no space, no line separator, and none that makes a mail header read the
# address as several, or as a name and an address: , ; : < > ( ) [ ] \\ and the double quote
IN_ADDRESS = r'[^@\x00-\x20\x7f-\xa0\u2028\u2029,;:<>()\[\]\\"]'

NAME_PATTERN = f"^{VISIBLE}({IN_LINE}*{VISIBLE})?$"
TEXT_PATTERN = f"^{VISIBLE}({IN_TEXT}*{VISIBLE})?$"
NAME_CHARACTERS = 200
TEXT_CHARACTERS = 1000

_NAME = re.compile(NAME_PATTERN)
_TEXT = re.compile(TEXT_PATTERN)
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def has_lone_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def whole_characters(text: str) -> str:
    """``text`` itself. Raises ValueError for a lone UTF-16 surrogate (an incomplete character)."""
    if has_lone_surrogate(text):
        raise ValueError("contains an incomplete character (a lone surrogate)")
    return text


def name_problem(value: object, *, limit: int = NAME_CHARACTERS) -> str | None:
    """Why ``value`` is not a name (one line of 1 to ``limit`` readable characters), or None."""
    if not isinstance(value, str):
        return "must be text"
    if not 1 <= len(value) <= limit:
        return f"must be 1 to {limit} characters"
    if has_lone_surrogate(value):
        return "contains an incomplete character (a lone surrogate)"
    if not _NAME.fullmatch(value):
        return (
            "must be one line of readable characters (none that reorders the text), not starting or ending with a space"
        )
    return None


def text_problem(value: object, *, limit: int) -> str | None:
    """Why ``value`` is not a text (1 to ``limit`` readable characters, line breaks allowed), or None."""
    if not isinstance(value, str):
        return "must be text"
    if not 1 <= len(value) <= limit:
        return f"must be 1 to {limit} characters"
    if has_lone_surrogate(value):
        return "contains an incomplete character (a lone surrogate)"
    if not _TEXT.fullmatch(value):
        return (
            "must be readable characters (no control characters, none that reorders the text), not starting or ending"
            " with a space"
        )
    return None


def readable(text: str) -> str:
    """``text`` with every character a store or a frame cannot carry (control characters but tabs and line
    breaks, lone surrogates) replaced by U+FFFD: for text the platform passes on, such as a model's answer."""
    return _UNSAFE.sub("\ufffd", text)


def escaped(text: str, *, limit: int) -> str:
    """``text`` cut to ``limit`` characters with every character a store or a frame cannot carry (control
    characters, lone surrogates) written as a visible escape (``\\u0000``): safe to show, log and audit."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text[:limit])
