"""The sign-in throttle counts an attempt as it lets it in, so attempts made together cannot outrun the limit."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from app.adapters.sign_in_throttle import SignInThrottle


@pytest.fixture(scope="module")
def client(stack):
    with redis.Redis.from_url(stack.env["REDIS_URL"]) as connection:
        yield connection


def _throttle(client, per_source: int = 100) -> SignInThrottle:
    return SignInThrottle(client, per_account=5, per_source=per_source, window_seconds=30)


def _account() -> tuple[str, str]:
    return f"acme-{uuid.uuid4().hex[:8]}", "fiona@acme.example"


def test_attempts_let_in_together_are_the_limit_and_no_more(client):
    throttle, (company, email) = _throttle(client), _account()
    source = f"10.0.{uuid.uuid4().int % 250}.1"
    with ThreadPoolExecutor(20) as pool:
        waits = list(pool.map(lambda _: throttle.admit(company, email, source), range(20)))
    assert waits.count(0) == 5, f"attempts let in at once: {waits}"
    assert all(0 < wait <= 30 for wait in waits if wait), waits


def test_a_success_takes_its_attempt_back_and_forgives_the_accounts_failures(client):
    throttle, (company, email) = _throttle(client), _account()
    source = f"10.1.{uuid.uuid4().int % 250}.1"
    for _ in range(4):
        assert throttle.admit(company, email, source) == 0  # four wrong passwords
    assert throttle.admit(company, email, source) == 0  # the right one
    throttle.succeeded(company, email, source)
    assert [throttle.admit(company, email, source) for _ in range(5)] == [0] * 5  # forgiven: five more let in
    assert throttle.admit(company, email, source) > 0  # the account's limit again; the refusal counts nothing
    assert int(client.get(f"platform:sign-in:source:{source}")) == 4 + 1 - 1 + 5, "the source's count of failures"


def test_a_source_at_its_limit_refuses_every_account_and_counts_nothing_more(client):
    throttle, source = _throttle(client, per_source=8), f"10.2.{uuid.uuid4().int % 250}.1"
    for n in range(8):
        assert throttle.admit(f"acme-{n}-{uuid.uuid4().hex[:6]}", "someone@acme.example", source) == 0
    assert throttle.admit(*_account(), source) > 0
    assert int(client.get(f"platform:sign-in:source:{source}")) == 8
