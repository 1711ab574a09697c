"""A company removed leaves nothing in the cache: every key of its namespace is removed, however many (more than
a SCAN call looks at), and no key of another company."""

from __future__ import annotations

import uuid

import redis

from app.adapters.company_cache import SCAN_HINT, company_prefix, forget_company


def test_every_key_of_the_company_goes_and_no_other(stack):
    with redis.Redis.from_url(stack.env["REDIS_URL"].rsplit("/", 1)[0] + "/6") as client:
        gone, kept = uuid.uuid4(), uuid.uuid4()
        keys = SCAN_HINT + SCAN_HINT // 2
        with client.pipeline(transaction=False) as pipe:
            for n in range(keys):
                pipe.set(f"{company_prefix(gone)}report:{n}", "x")
            pipe.set(f"{company_prefix(kept)}report:0", "x")
            pipe.execute()
        try:
            assert forget_company(client, gone) == keys
            assert list(client.scan_iter(match=f"{company_prefix(gone)}*")) == []
            assert client.get(f"{company_prefix(kept)}report:0") == b"x", "another company's key was removed"
        finally:
            client.flushdb()
