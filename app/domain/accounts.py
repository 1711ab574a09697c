"""One spelling per account: how an e-mail address names a person, wherever the platform compares it.

An address typed in capitals, in mixed case or in compatibility forms of its letters (full-width, ligatures)
names the same account: it is stored, looked up and throttled in one form (Unicode NFKC, then case-folded),
so no protection counted per account can be walked around by spelling the account differently.
"""

from __future__ import annotations

import unicodedata


def account_email(address: str) -> str:
    """The one form of ``address`` the platform stores and compares."""
    return unicodedata.normalize("NFKC", address).casefold()
