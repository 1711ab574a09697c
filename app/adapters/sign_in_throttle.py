"""Failed sign-ins counted in Redis, per account and per source, over a fixed window.

Past ``per_account`` failures for one account (company and e-mail, whether or
not it exists), or ``per_source`` failures from one address, every sign-in for
it is refused until the window ends, even with the right password: the answer
is the same for an account that exists and one that does not. A success clears
the account's count. With Redis away the throttle is not enforced and the
failure is logged (the same degraded mode as the assistant's rate limit).
"""

from __future__ import annotations

import hashlib
import logging
import math

import redis

from app.domain.accounts import account_email

log = logging.getLogger("app.sign_in_throttle")

# KEYS: counters; ARGV[1]: window seconds. Adds one to each, starting the window with the first.
FAIL = """
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, tonumber(ARGV[1])) end
end
return 1
"""


class SignInThrottle:
    def __init__(self, client: redis.Redis, *, per_account: int, per_source: int, window_seconds: int) -> None:
        self._client = client
        self._fail = client.register_script(FAIL)
        self.per_account = per_account
        self.per_source = per_source
        self.window_seconds = window_seconds

    @staticmethod
    def _keys(company_slug: str, email: str, source: str) -> list[str]:
        account = hashlib.sha256(f"{company_slug.lower()}\0{account_email(email)}".encode()).hexdigest()
        return [f"platform:sign-in:account:{account}", f"platform:sign-in:source:{source}"]

    def seconds_refused(self, company_slug: str, email: str, source: str) -> int:
        """Seconds until sign-ins for this account and source are taken again; 0 when they are now."""
        keys = self._keys(company_slug, email, source)
        try:
            with self._client.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.get(key)
                    pipe.pttl(key)
                account, account_left, source_count, source_left = pipe.execute()
        except redis.RedisError as exc:
            log.warning("sign-in throttle not enforced, Redis unavailable: %s", exc)
            return 0
        waits = [
            max(math.ceil(int(left) / 1000), 1)
            for count, limit, left in (
                (account, self.per_account, account_left),
                (source_count, self.per_source, source_left),
            )
            if count is not None and int(count) >= limit
        ]
        return max(waits, default=0)

    def failed(self, company_slug: str, email: str, source: str) -> None:
        try:
            self._fail(keys=self._keys(company_slug, email, source), args=[self.window_seconds])
        except redis.RedisError as exc:
            log.warning("failed sign-in not counted, Redis unavailable: %s", exc)

    def succeeded(self, company_slug: str, email: str, source: str) -> None:
        try:
            self._client.delete(self._keys(company_slug, email, source)[0])
        except redis.RedisError as exc:
            log.warning("sign-in throttle not cleared, Redis unavailable: %s", exc)
