"""A failed sign-in costs the same work whatever was wrong, so its time tells nobody which addresses exist.

The password's hash is the dear part of a sign-in (600,000 rounds of PBKDF2 in production: a third of a second
and more). It was worked out only when the company and the address were found: a sign-in for an address nobody
has was answered at once, one for a real account with a wrong password a third of a second later, and anyone
could sort a list of addresses into those with an account and those without by timing the answers. Now a hash
of the same cost is worked out when no account is found.
"""

from __future__ import annotations

import uuid

import psycopg
import pytest

from app.adapters import credentials
from app.adapters.credentials import hash_password
from app.adapters.unit_of_work import sql_unit_of_work
from app.domain.errors import Unauthenticated
from app.service_layer.tenancy import sign_in
from tests.app.row_locks import company_with_person

ROUNDS = 20_000  # what the platform hashes a new password with here (600,000 in production)


class AlwaysAdmitted:
    """A sign-in throttle that lets every attempt through: the work of the check itself is measured."""

    def admit(self, company_slug: str, email: str, source: str) -> int:
        return 0

    def succeeded(self, company_slug: str, email: str, source: str) -> None:
        return None


@pytest.fixture
def account(stack) -> tuple[str, str]:
    """A company with one person whose password is "right-password", hashed at ``ROUNDS``: (slug, e-mail)."""
    url = stack.env["DATABASE_URL"]
    _, person = company_with_person(url, name="Timing", role="sales")
    with psycopg.connect(url, autocommit=True) as owner:
        owner.execute(
            "UPDATE users SET password_hash = %s WHERE id = %s",
            (hash_password("right-password", iterations=ROUNDS), person),
        )
        slug, email = owner.execute(
            "SELECT t.slug, u.email FROM tenants t JOIN users u ON u.tenant_id = t.id WHERE u.id = %s", (person,)
        ).fetchone()
    return slug, email


@pytest.fixture
def rounds_hashed(monkeypatch) -> list[int]:
    """The rounds of every password hash worked out from here on, in order."""
    hashed: list[int] = []
    real = credentials.hashlib.pbkdf2_hmac

    def counted(name: str, password: bytes, salt: bytes, iterations: int) -> bytes:
        hashed.append(iterations)
        return real(name, password, salt, iterations)

    monkeypatch.setattr(credentials.hashlib, "pbkdf2_hmac", counted)
    return hashed


def _signing_in(database, slug: str, email: str, password: str) -> None:
    sign_in(
        sql_unit_of_work(database),
        credentials.TokenSigner(secret="s" * 48, ttl_seconds=60),
        AlwaysAdmitted(),
        company_slug=slug,
        email=email,
        password=password,
        source="203.0.113.9",
        hash_iterations=ROUNDS,
    )


@pytest.mark.parametrize(
    "what_was_wrong",
    ["the password", "the address", "the company"],
)
def test_a_failed_sign_in_hashes_one_password_at_the_cost_a_real_account_s_check_takes(
    database, account, rounds_hashed, what_was_wrong
):
    slug, email = account
    asked = {
        "the password": (slug, email, "wrong-password"),
        "the address": (slug, f"nobody-{uuid.uuid4().hex[:6]}@example.com", "wrong-password"),
        "the company": (f"no-such-{uuid.uuid4().hex[:6]}", email, "wrong-password"),
    }[what_was_wrong]
    with pytest.raises(Unauthenticated) as refused:
        _signing_in(database, *asked)
    assert refused.value.message == "unknown tenant, email or password"
    assert rounds_hashed == [ROUNDS], (
        f"a sign-in refused for {what_was_wrong} hashed {rounds_hashed}: a sign-in refused for any other reason "
        f"hashes one password of {ROUNDS} rounds, so the time of the answer would say which part was wrong"
    )


def test_the_right_password_still_signs_in_with_one_hash(database, account, rounds_hashed):
    slug, email = account
    _signing_in(database, slug, email, "right-password")
    assert rounds_hashed == [ROUNDS]
