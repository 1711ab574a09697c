"""Failed sign-ins counted in Redis, per account and per source, over a fixed window.

Past ``per_account`` failures for one account (company and e-mail, whether or
not it exists), or ``per_source`` failures from one address, every sign-in for
it is refused until the window ends, even with the right password: the answer
is the same for an account that exists and one that does not. A success clears
the account's count. With Redis away the throttle is not enforced and the
failure is logged (the same degraded mode as the assistant's rate limit).

An attempt is counted as a failure when it is let in, before its password is
checked, in the same step that looks at the counts (``admit``); a success then
takes its count back. Counting only once the password had been found wrong let
every attempt sent at the same moment past the check before any was counted:
twenty wrong passwords at once were twenty guesses where five are allowed.
"""

from __future__ import annotations

import hashlib
import logging
import math

import redis

from app.domain.accounts import account_email

log = logging.getLogger("app.sign_in_throttle")

# KEYS: the account's and the source's counters; ARGV[1]: window seconds, ARGV[2], ARGV[3]: their limits.
# A counter at its limit refuses the attempt, counting nothing: the longest wait left, in ms. Otherwise the
# attempt is counted in both (the first count starts the window) and 0 returned.
ADMIT = """
local wait = 0
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i + 1]) then
    wait = math.max(wait, redis.call('PTTL', key), 1)
  end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, tonumber(ARGV[1])) end
end
return 0
"""
# KEYS: the account's and the source's counters. A success clears the account's failures and takes back the
# source's count of this attempt (while its window lasts: a counter gone is not made again).
SUCCEEDED = """
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('DECR', KEYS[2]) end
return 1
"""


class SignInThrottle:
    def __init__(self, client: redis.Redis, *, per_account: int, per_source: int, window_seconds: int) -> None:
        self._client = client
        self._admit = client.register_script(ADMIT)
        self._succeeded = client.register_script(SUCCEEDED)
        self.per_account = per_account
        self.per_source = per_source
        self.window_seconds = window_seconds

    @staticmethod
    def _keys(company_slug: str, email: str, source: str) -> list[str]:
        account = hashlib.sha256(f"{company_slug.lower()}\0{account_email(email)}".encode()).hexdigest()
        return [f"platform:sign-in:account:{account}", f"platform:sign-in:source:{source}"]

    def admit(self, company_slug: str, email: str, source: str) -> int:
        """Seconds until sign-ins for this account and source are taken again; 0 when this one is, counted as a
        failure until ``succeeded`` takes it back."""
        try:
            wait_ms = self._admit(
                keys=self._keys(company_slug, email, source),
                args=[self.window_seconds, self.per_account, self.per_source],
            )
        except redis.RedisError as exc:
            log.warning("sign-in throttle not enforced, Redis unavailable: %s", exc)
            return 0
        return math.ceil(int(wait_ms) / 1000)

    def succeeded(self, company_slug: str, email: str, source: str) -> None:
        try:
            self._succeeded(keys=self._keys(company_slug, email, source))
        except redis.RedisError as exc:
            log.warning("sign-in throttle not cleared, Redis unavailable: %s", exc)
