"""Password hashing and signed access tokens (JWT, HS256)."""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from app.domain.clock import utc_now
from app.domain.errors import Unauthenticated


def hash_password(password: str, *, iterations: int) -> str:
    """PBKDF2-SHA256; the iteration count is stored with the hash, so it can change over time."""
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        _, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), int(iterations))
    return hmac.compare_digest(candidate.hex(), digest)


@dataclass(frozen=True, slots=True)
class TokenClaims:
    user_id: uuid.UUID
    company_id: uuid.UUID
    token_id: str
    expires_at: datetime


class TokenSigner:
    """Signs with ``secret``; verifies with it and with each of ``previous_secrets`` (a key being rotated out),
    so that rotating the key signs nobody out: a token keeps working until it expires."""

    def __init__(self, secret: str, *, ttl_seconds: int, previous_secrets: tuple[str, ...] = ()) -> None:
        self._secret = secret
        self._verifying = (secret, *previous_secrets)
        self._ttl = timedelta(seconds=ttl_seconds)

    def use_keys(self, secret: str, previous_secrets: tuple[str, ...] = ()) -> None:
        """Signs with ``secret`` from now on and verifies with it and ``previous_secrets`` (a rotation without a
        restart); one assignment each, so a request sees the keys before or after, never half of each."""
        self._verifying = (secret, *previous_secrets)
        self._secret = secret

    def issue(self, *, user_id: uuid.UUID, company_id: uuid.UUID) -> tuple[str, int]:
        now = utc_now()
        claims = {
            "sub": str(user_id),
            "tid": str(company_id),
            "jti": uuid.uuid4().hex,
            "iat": now,
            "exp": now + self._ttl,
        }
        return jwt.encode(claims, self._secret, algorithm="HS256"), int(self._ttl.total_seconds())

    def verify(self, token: str) -> TokenClaims:
        """Raises Unauthenticated for an expired, tampered or foreign token."""
        try:
            claims = self._decoded(token)
            return TokenClaims(
                uuid.UUID(claims["sub"]),
                uuid.UUID(claims["tid"]),
                str(claims["jti"]),
                datetime.fromtimestamp(claims["exp"], UTC),
            )
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthenticated(f"invalid access token: {exc}") from exc

    def _decoded(self, token: str) -> dict:
        """The claims, checked with the current key, then with each previous one (only a bad signature moves on)."""
        for key in self._verifying[:-1]:
            try:
                return jwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp", "sub", "tid", "jti"]})
            except jwt.InvalidSignatureError:
                continue
        return jwt.decode(
            token, self._verifying[-1], algorithms=["HS256"], options={"require": ["exp", "sub", "tid", "jti"]}
        )
