"""A circuit breaker whose state every platform instance shares through Redis.

Closed: calls go through; ``threshold`` failures in a row open it. Open: calls
are refused at once (no waiting on a dead dependency) until ``reset_seconds``
have passed; then it is half-open and exactly one caller (whoever takes the
probe lock) tries the dependency: success closes it, failure opens it again.
Each transition is one Lua script, so instances racing on it agree.

Blocking callers (the payment gateway, readiness) use ``call``; the event loop
(the model client on the assistant's hot path) uses ``acall``, the same scripts
over the asyncio Redis client. Why not purgatory (the maintained asyncio
breaker): its 3.0.1 synchronous Redis repository builds an asyncio client, so it
cannot serve our blocking gateways, and it reads and writes the state in
separate commands. With Redis down the
breaker cannot be shared; it then lets calls through (the retry policy and the
dependency's own time-outs still bound them) and says so in readiness.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import redis
import redis.asyncio as aioredis

from app.domain.errors import DependencyUnavailable

log = logging.getLogger("app.breaker")
T = TypeVar("T")

CLOSED, OPEN, HALF_OPEN, UNKNOWN = "closed", "open", "half_open", "unknown"
TRUST_CLOSED_SECONDS = 0.5
PLATFORM_PREFIX = "platform:"  # the platform's own keys, holding no company's data

# KEYS[1] state hash, KEYS[2] probe lock; ARGV now, reset seconds.
# Returns {decision, seconds to wait, failures so far} (a success need not reset a count of 0).
BEFORE_CALL = """
local fields = redis.call('HMGET', KEYS[1], 'state', 'failures')
if fields[1] ~= 'open' then return {'call', 0, tonumber(fields[2] or '0')} end
local waited = tonumber(ARGV[1]) - tonumber(redis.call('HGET', KEYS[1], 'opened_at'))
if waited < tonumber(ARGV[2]) then return {'refuse', tostring(tonumber(ARGV[2]) - waited)} end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', math.floor(tonumber(ARGV[2]) * 1000)) then
  return {'probe', 0}
end
return {'refuse', tostring(tonumber(ARGV[2]))}
"""
# KEYS[1] state hash, KEYS[2] probe lock; ARGV now, threshold. Returns the state after the failure.
ON_FAILURE = """
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
if redis.call('HGET', KEYS[1], 'state') == 'open' or failures >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'state', 'open', 'opened_at', ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'times_opened', 1)
  redis.call('DEL', KEYS[2])
  return 'open'
end
return 'closed'
"""
# KEYS[1] state hash, KEYS[2] probe lock; ARGV now. A failed probe: open again from now, counted as an opening.
ON_PROBE_FAILED = """
redis.call('HSET', KEYS[1], 'state', 'open', 'opened_at', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'times_opened', 1)
redis.call('DEL', KEYS[2])
return 'open'
"""
ON_SUCCESS = """
redis.call('HSET', KEYS[1], 'state', 'closed', 'failures', 0)
redis.call('DEL', KEYS[2])
return 'closed'
"""


class CircuitBreaker:
    def __init__(
        self,
        client: redis.Redis,
        name: str,
        *,
        threshold: int,
        reset_seconds: float,
        clock: Callable[[], float] = time.time,
        async_client: aioredis.Redis | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """``clock``: the shared time (seconds, every instance's alike) the circuit's pause is counted in;
        ``monotonic``: this instance's own, which times how long a closed circuit is trusted."""
        self.name = name
        self._redis = client
        self._threshold = threshold
        self._reset = reset_seconds
        self._clock = clock
        self._monotonic = monotonic
        self._keys = [f"{PLATFORM_PREFIX}breaker:{name}", f"{PLATFORM_PREFIX}breaker:{name}:probe"]
        self._closed_until = 0.0
        self._before = client.register_script(BEFORE_CALL)
        self._failed = client.register_script(ON_FAILURE)
        self._probe_failed = client.register_script(ON_PROBE_FAILED)
        self._succeeded = client.register_script(ON_SUCCESS)
        if async_client is not None:
            self._async_scripts = tuple(
                async_client.register_script(script) for script in (BEFORE_CALL, ON_FAILURE, ON_SUCCESS)
            )

    def call(self, action: Callable[[], T], *, counts_as_failure: Callable[[BaseException], bool]) -> T:
        """Runs ``action`` unless the circuit is open.

        Raises:
            DependencyUnavailable circuit_open: refused without calling (retry after ``retry_after``).
            whatever ``action`` raises.
        """
        before = self._shared(self._before, [self._clock(), self._reset], (b"call", 0))
        self._refuse_if_open(before)
        try:
            result = action()
        except BaseException as exc:
            if counts_as_failure(exc):
                self._opened(self._shared(self._failed, [self._clock(), self._threshold], b"closed"), exc)
            raise
        if _needs_reset(before):
            self._shared(self._succeeded, [], b"closed")
        return result

    async def acall(
        self, action: Callable[[], Awaitable[T]], *, counts_as_failure: Callable[[BaseException], bool]
    ) -> T:
        """``call`` for the event loop: ``await action()`` unless the circuit is open (same rules, same state).

        A circuit this instance last saw closed with no failures is trusted as closed for
        ``TRUST_CLOSED_SECONDS`` without asking Redis: on the hot path a circuit opened elsewhere is
        noticed that much later, and a failure here is always shared at once.
        """
        before, failed, succeeded = self._async_scripts
        trusted = self._monotonic() < self._closed_until
        decided = (
            [b"call", 0, 0] if trusted else await self._ashared(before, [self._clock(), self._reset], (b"call", 0))
        )
        self._refuse_if_open(decided)
        try:
            result = await action()
        except BaseException as exc:
            if counts_as_failure(exc):
                self._closed_until = 0.0
                self._opened(await self._ashared(failed, [self._clock(), self._threshold], b"closed"), exc)
            raise
        if _needs_reset(decided):
            await self._ashared(succeeded, [], b"closed")
        elif not trusted:
            self._closed_until = self._monotonic() + TRUST_CLOSED_SECONDS
        return result

    def _refuse_if_open(self, before: list) -> None:
        decision, wait = before[0], before[1]
        if decision == b"refuse":
            raise DependencyUnavailable(
                self.name,
                f"{self.name.replace('_', ' ')} is failing; not calling it for {float(wait):.0f} s (circuit open)",
                code="circuit_open",
                retry_after=max(1, round(float(wait))),
            )

    def _opened(self, state: bytes, why: BaseException | str) -> None:
        if state == b"open":
            log.warning("circuit %s open after %s", self.name, why)

    def tune(self, *, threshold: int, reset_seconds: float) -> None:
        """New numbers from the next call on (a settings reload): failures in a row that open the circuit, and
        how long it stays open."""
        self._threshold = threshold
        self._reset = reset_seconds

    def record_probe(self, answered: bool) -> None:
        """A health check's result: when the circuit is due for a probe, it is that probe (closes or reopens)."""
        if self._shared(self._before, [self._clock(), self._reset], (b"call", 0))[0] != b"probe":
            return
        if answered:
            self._shared(self._succeeded, [], b"closed")
        else:  # opened again, and said so like any other opening
            self._opened(self._shared(self._probe_failed, [self._clock()], b"closed"), "a failed health check")

    def state(self) -> dict[str, object]:
        """closed, open or half_open (open and due for a probe); unknown while Redis is unreachable."""
        try:
            fields = {_text(k): _text(v) for k, v in self._redis.hgetall(self._keys[0]).items()}
        except redis.RedisError:
            return {"state": UNKNOWN, "failures": None, "times_opened": None}
        state = fields.get("state", CLOSED)
        if state == OPEN and self._clock() - float(fields["opened_at"]) >= self._reset:
            state = HALF_OPEN
        return {
            "state": state,
            "failures": int(fields.get("failures", 0)),
            "times_opened": int(fields.get("times_opened", 0)),
        }

    def _shared(self, script, args: list, fallback):
        try:
            return script(keys=self._keys, args=args)
        except redis.RedisError as exc:  # the breaker cannot be shared now: let the call decide
            log.warning("circuit %s state unavailable (Redis): %s", self.name, exc)
            return fallback

    async def _ashared(self, script, args: list, fallback):
        try:
            return await script(keys=self._keys, args=args)
        except redis.RedisError as exc:
            log.warning("circuit %s state unavailable (Redis): %s", self.name, exc)
            return fallback


def _needs_reset(before: list) -> bool:
    """Whether a success must reset the shared state: it was a probe, or failures had been counted."""
    return before[0] != b"call" or len(before) < 3 or int(before[2]) != 0


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
