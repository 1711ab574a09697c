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


NO_SALT = b"no such account!"  # a salt as long as a real one (16 bytes); what it hashes is thrown away


def password_matches(password: str, stored: str | None, *, iterations_if_none: int) -> bool:
    """Whether ``password`` is the one ``stored`` was hashed from. With nothing stored (no such account), a hash
    of the cost a new password gets is worked out all the same and False returned: the answer takes as long
    whether the account exists or not, so no address can be found out by timing a sign-in."""
    if stored is None:
        hashlib.pbkdf2_hmac("sha256", password.encode(), NO_SALT, iterations_if_none)
        return False
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
    issued_at: datetime | None = None  # None: a token that does not say (taken as begun before any restore)


VERIFIED_KEPT = 4096  # tokens whose signature was checked, kept by claims until the keys change


class TokenSigner:
    """Signs with ``secret``; verifies with it and with each of ``previous_secrets`` (a key being rotated out),
    so that rotating the key signs nobody out: a token keeps working until it expires.

    A token whose signature has been checked is remembered with its claims (up to ``VERIFIED_KEPT``, forgotten
    whenever the keys change): a question checks its asker's token four times, and the signature is the same
    each time; the expiry is checked against the clock every time.
    """

    def __init__(self, secret: str, *, ttl_seconds: int, previous_secrets: tuple[str, ...] = ()) -> None:
        self._secret = secret
        # the verifying keys and the tokens they verified: one value, so both change in one assignment
        self._verifying: tuple[tuple[str, ...], dict[str, TokenClaims]] = ((secret, *previous_secrets), {})
        self._ttl = timedelta(seconds=ttl_seconds)

    def use_keys(self, secret: str, previous_secrets: tuple[str, ...] = ()) -> None:
        """Signs with ``secret`` from now on and verifies with it and ``previous_secrets`` (a rotation without a
        restart); one assignment each, so a request sees the keys before or after, never half of each."""
        self._verifying = ((secret, *previous_secrets), {})
        self._secret = secret

    def issue(self, *, user_id: uuid.UUID, company_id: uuid.UUID) -> tuple[str, int]:
        now = utc_now()
        claims = {
            "sub": str(user_id),
            "tid": str(company_id),
            "jti": uuid.uuid4().hex,
            "iat": now.timestamp(),  # to the microsecond (a NumericDate may have a fraction): a session begun
            # just after its company's restore is told apart from one begun before it
            "exp": now + self._ttl,
        }
        return jwt.encode(claims, self._secret, algorithm="HS256"), int(self._ttl.total_seconds())

    def verify(self, token: str) -> TokenClaims:
        """Raises Unauthenticated for an expired, tampered or foreign token."""
        keys, verified = self._verifying
        known = verified.get(token)
        if known is not None:
            if known.expires_at <= utc_now():
                raise Unauthenticated("invalid access token: Signature has expired")
            return known
        try:
            claims = self._decoded(token, keys)
            checked = TokenClaims(
                uuid.UUID(claims["sub"]),
                uuid.UUID(claims["tid"]),
                str(claims["jti"]),
                datetime.fromtimestamp(claims["exp"], UTC),
                datetime.fromtimestamp(claims.get("iat", 0), UTC),
            )
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthenticated(f"invalid access token: {exc}") from exc
        if len(verified) >= VERIFIED_KEPT:
            verified.clear()
        verified[token] = checked  # with the keys that checked it: keys replaced since come with a new dict
        return checked

    @staticmethod
    def _decoded(token: str, keys: tuple[str, ...]) -> dict:
        """The claims, checked with the current key, then with each previous one (only a bad signature moves on)."""
        for key in keys[:-1]:
            try:
                return jwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp", "sub", "tid", "jti"]})
            except jwt.InvalidSignatureError:
                continue
        return jwt.decode(token, keys[-1], algorithms=["HS256"], options={"require": ["exp", "sub", "tid", "jti"]})
