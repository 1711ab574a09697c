"""One spelling per account: how an e-mail address names a person, wherever the platform compares it.

An address typed in capitals, in mixed case or in compatibility forms of its letters (full-width, ligatures)
names the same account: it is stored, looked up and throttled in one form (Unicode NFKC, then case-folded),
so no protection counted per account can be walked around by spelling the account differently.

A domain in letters beyond ASCII has a second spelling, its ASCII-compatible one (IDNA: ``bücher.example`` is
also ``xn--bcher-kva.example``, which mail reaches just the same), and may be written with the dots of other
scripts (``。``): each such label is kept in its own letters, so both spellings are one account.
"""

from __future__ import annotations

import unicodedata

ACE_PREFIX = "xn--"  # a label in its ASCII-compatible encoding (RFC 3490)
LABEL_DOTS = ("\u3002", "\uff61")  # ideographic and half-width ideographic full stops (RFC 3490, 3.1)


def account_email(address: str) -> str:
    """The one form of ``address`` the platform stores and compares."""
    folded = unicodedata.normalize("NFKC", address).casefold()
    local, at, domain = folded.rpartition("@")
    if not at:
        return folded
    for dot in LABEL_DOTS:
        domain = domain.replace(dot, ".")
    return f"{local}@{'.'.join(_in_its_own_letters(label) for label in domain.split('.'))}"


def _in_its_own_letters(label: str) -> str:
    """A label written in its ASCII-compatible encoding, decoded; any other label as it is, and so is one that
    is no such encoding (letters all ASCII, which are never encoded, or an encoding its letters do not give)."""
    if not label.startswith(ACE_PREFIX):
        return label
    try:
        letters = label[len(ACE_PREFIX) :].encode("ascii").decode("punycode")
    except UnicodeError:
        return label
    decoded = unicodedata.normalize("NFKC", letters).casefold()
    if decoded.isascii() or decoded != letters or ACE_PREFIX + decoded.encode("punycode").decode("ascii") != label:
        return label
    return decoded
