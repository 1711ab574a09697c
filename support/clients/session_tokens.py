"""Sessions gone bad: a signed-in user's token tampered with, expired, forged or signed out.

Expiring a token needs the platform's signing secret (TOKEN_SECRET; the
embedded stack shares it); ``can_expire`` tells whether this run has it.
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import UTC, datetime, timedelta

import jwt


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def tampered(token: str) -> str:
    """The same token with its claims changed (a later expiry) but the original signature."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["exp"] = int(claims["exp"]) + 3600
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


def signed_with_another_key(token: str) -> str:
    return jwt.encode(_claims(token), secrets.token_urlsafe(48), algorithm="HS256")


def expired(token: str, secret: str) -> str:
    """The same claims, properly signed, but expired a minute ago."""
    claims = _claims(token) | {"exp": datetime.now(UTC) - timedelta(minutes=1)}
    return jwt.encode(claims, secret, algorithm="HS256")
