"""The report cache computes a cold report once however many ask at once, and never serves a stale one."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from app.adapters.company_cache import CompanyCache


@pytest.fixture(scope="module")
def client(stack):
    with redis.Redis.from_url(stack.env["REDIS_URL"]) as connection:
        yield connection


class DataVersion:
    """Stands in for the tenant's audit sequence: ``write()`` is a committed business write."""

    def __init__(self) -> None:
        self.value = 0

    def __call__(self, _company_column: uuid.UUID) -> int:
        return self.value

    def write(self) -> None:
        self.value += 1


def test_cold_report_asked_by_many_at_once_is_computed_once(client):
    version = DataVersion()
    cache = CompanyCache(client, ttl_seconds=60, data_version=version)
    company, calls, lock = uuid.uuid4(), [], threading.Lock()

    def compute():
        with lock:
            calls.append(1)
        time.sleep(0.05)  # a report that takes a while: the stampede window
        return {"value": 42}

    for _ in range(5):  # several rounds: the race between storing and locking must not recompute
        version.write()
        with ThreadPoolExecutor(16) as pool:
            results = list(pool.map(lambda _: cache.cached(company, "report", compute), range(32)))
        assert results == [{"value": 42}] * 32
    assert len(calls) == 5
    assert cache.computations(company) == 5


def test_a_write_makes_the_cached_report_stale(client):
    version = DataVersion()
    cache, company = CompanyCache(client, ttl_seconds=60, data_version=version), uuid.uuid4()
    assert cache.cached(company, "r", lambda: {"v": 1}) == {"v": 1}
    assert cache.cached(company, "r", lambda: {"v": 2}) == {"v": 1}
    version.write()
    assert cache.cached(company, "r", lambda: {"v": 3}) == {"v": 3}


@pytest.mark.parametrize("damage", [b"<<not json>>", b"[1, 2, 3]", b'{"v": 1', b"\xff\xfe"])
def test_an_entry_that_is_not_a_report_is_dropped_and_computed_again(client, damage):
    version = DataVersion()
    cache, company = CompanyCache(client, ttl_seconds=60, data_version=version), uuid.uuid4()
    assert cache.cached(company, "r", lambda: {"v": 1}) == {"v": 1}
    for key in client.scan_iter(match=f"tenant:{company}:report:r:v*"):
        client.set(key, damage)
    assert cache.cached(company, "r", lambda: {"v": 2}) == {"v": 2}
    assert cache.cached(company, "r", lambda: {"v": 3}) == {"v": 2}


class LosesRedisBeforeStoring:
    """The cache's Redis, which goes away once the report is computed, before it is stored."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client

    def __getattr__(self, name: str):
        return getattr(self._client, name)

    def pipeline(self, *args, **kwargs):
        raise redis.ConnectionError("Redis went away")


def test_a_report_computed_while_redis_goes_away_is_given_and_the_operators_are_told_it_was_not_stored(client, caplog):
    cache = CompanyCache(LosesRedisBeforeStoring(client), ttl_seconds=60, data_version=DataVersion())  # type: ignore[arg-type]
    with caplog.at_level("WARNING", logger="app.cache"):
        assert cache.cached(uuid.uuid4(), "pipeline", lambda: {"v": 1}) == {"v": 1}
    assert [r.getMessage() for r in caplog.records if r.name == "app.cache"] == [
        "cache unavailable, pipeline not stored: Redis went away"
    ]


class _Away:
    """A Redis client whose server does not answer."""

    def __getattr__(self, _name: str):
        def refused(*_args: object, **_kwargs: object) -> None:
            raise redis.ConnectionError("Connection refused")

        return refused


def test_with_the_cache_away_the_report_is_computed_directly_and_the_log_names_it_and_why(caplog):
    cache = CompanyCache(_Away(), ttl_seconds=60, data_version=lambda _: 1)  # type: ignore[arg-type]
    with caplog.at_level("WARNING", logger="app.cache"):
        assert cache.cached(uuid.uuid4(), "forecast", lambda: {"value": 7}) == {"value": 7}
    assert "cache unavailable, computing forecast directly: Connection refused" in caplog.messages
