"""Rotating the token signing key signs nobody out; a retired key signs nobody in."""

import uuid

import jwt
import pytest

from app.adapters.credentials import TokenSigner
from app.domain.errors import Unauthenticated

OLD, NEW, OTHER = "o" * 32, "n" * 32, "x" * 32


def test_a_token_signed_with_the_previous_key_is_honoured_and_new_ones_use_the_new_key():
    user, company = uuid.uuid4(), uuid.uuid4()
    old_token, _ = TokenSigner(OLD, ttl_seconds=60).issue(user_id=user, company_id=company)
    rotated = TokenSigner(NEW, ttl_seconds=60, previous_secrets=(OLD,))
    assert rotated.verify(old_token).user_id == user
    new_token, _ = rotated.issue(user_id=user, company_id=company)
    assert jwt.decode(new_token, NEW, algorithms=["HS256"])["sub"] == str(user)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(new_token, OLD, algorithms=["HS256"])


def test_a_retired_key_and_a_foreign_key_are_refused():
    user, company = uuid.uuid4(), uuid.uuid4()
    old_token, _ = TokenSigner(OLD, ttl_seconds=60).issue(user_id=user, company_id=company)
    foreign, _ = TokenSigner(OTHER, ttl_seconds=60).issue(user_id=user, company_id=company)
    with pytest.raises(Unauthenticated):
        TokenSigner(NEW, ttl_seconds=60).verify(old_token)
    with pytest.raises(Unauthenticated):
        TokenSigner(NEW, ttl_seconds=60, previous_secrets=(OLD,)).verify(foreign)


def test_an_expired_token_is_refused_whichever_key_signed_it():
    user, company = uuid.uuid4(), uuid.uuid4()
    expired, _ = TokenSigner(OLD, ttl_seconds=-1).issue(user_id=user, company_id=company)
    with pytest.raises(Unauthenticated):
        TokenSigner(NEW, ttl_seconds=60, previous_secrets=(OLD,)).verify(expired)


def test_a_token_checked_once_is_refused_once_its_key_is_retired():
    user, company = uuid.uuid4(), uuid.uuid4()
    signer = TokenSigner(NEW, ttl_seconds=60, previous_secrets=(OLD,))
    old_token, _ = TokenSigner(OLD, ttl_seconds=60).issue(user_id=user, company_id=company)
    assert signer.verify(old_token).user_id == user  # remembered as checked
    signer.use_keys(NEW)
    with pytest.raises(Unauthenticated):
        signer.verify(old_token)


def test_a_token_checked_once_is_refused_once_it_expires(monkeypatch):
    import app.adapters.credentials as credentials

    user, company = uuid.uuid4(), uuid.uuid4()
    signer = TokenSigner(NEW, ttl_seconds=60)
    token, _ = signer.issue(user_id=user, company_id=company)
    claims = signer.verify(token)  # remembered as checked
    monkeypatch.setattr(credentials, "utc_now", lambda: claims.expires_at)
    with pytest.raises(Unauthenticated, match="expired"):
        signer.verify(token)


def test_the_tokens_remembered_as_checked_never_outnumber_their_bound(monkeypatch):
    """A flood of distinct valid tokens takes at most ``VERIFIED_KEPT`` entries of memory: the remembered ones are
    forgotten whole when the bound is reached, and every token is still verified."""
    from app.adapters import credentials

    monkeypatch.setattr(credentials, "VERIFIED_KEPT", 3)
    signer = TokenSigner(NEW, ttl_seconds=60)
    sizes = []
    for _ in range(7):
        token, _ = signer.issue(user_id=uuid.uuid4(), company_id=uuid.uuid4())
        signer.verify(token)
        sizes.append(len(signer._verifying[1]))
    assert sizes == [1, 2, 3, 1, 2, 3, 1], "remembered at most 3, then forgotten whole"


@pytest.mark.parametrize("claim", ["exp", "sub", "tid", "jti"])
@pytest.mark.parametrize("signed_with", [NEW, OLD])
def test_a_token_signed_with_a_known_key_but_lacking_a_claim_is_refused_not_failed_on(claim, signed_with):
    """Whoever holds a signing key (a leaked retired one, a tool of the operators) must not make the platform fail
    (a KeyError: a 500) with a token that leaves out who it is for: it is refused as any bad token is."""
    user, company = uuid.uuid4(), uuid.uuid4()
    whole, _ = TokenSigner(signed_with, ttl_seconds=60).issue(user_id=user, company_id=company)
    claims = jwt.decode(whole, signed_with, algorithms=["HS256"])
    lacking = jwt.encode({k: v for k, v in claims.items() if k != claim}, signed_with, algorithm="HS256")
    with pytest.raises(Unauthenticated):
        TokenSigner(NEW, ttl_seconds=60, previous_secrets=(OLD,)).verify(lacking)
