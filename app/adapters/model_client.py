"""Client of an OpenAI-compatible chat-completions endpoint (MODEL_URL).

Asynchronous, over one kept-alive connection pool, so a run waiting on the model
holds no thread. aiohttp rather than httpx: on the assistant's hot path httpx
spent 2.8 ms of CPU per completion against aiohttp's 0.54 ms (same double, same
machine; see docs/figures.md). A completion changes nothing,
so a failed one is retried with backoff; every call goes through the model's
circuit breaker. ``ping`` is blocking: readiness calls it from a worker thread.

aiohttp is imported once the instance serves (``load_in_background``), not when
the platform starts: its import (TLS contexts made, certificates read) is about
a third of a second the start-up does not wait for. A completion asked for before
it is loaded waits for it.
"""

from __future__ import annotations

import importlib
import threading
from typing import TYPE_CHECKING, Any

import requests

from app.adapters.circuit_breaker import CircuitBreaker
from app.adapters.retry_policy import is_transient, with_retries_async
from app.domain.errors import DependencyUnavailable

if TYPE_CHECKING:
    import aiohttp


def load_in_background() -> None:
    """Imports aiohttp on a daemon thread, off the start-up's path."""
    threading.Thread(target=importlib.import_module, args=("aiohttp",), name="load-aiohttp", daemon=True).start()


class ModelClient:
    def __init__(
        self, base_url: str, *, model: str, timeout_seconds: float, breaker: CircuitBreaker, max_connections: int
    ) -> None:
        """``max_connections``: the connections kept to the model at most; each run asks one completion at a time,
        so as many as the runs an instance runs at once (more would never be used, fewer would make runs wait)."""
        self._base = base_url.rstrip("/")
        self._model = model
        self._timeout_seconds = timeout_seconds
        self._max_connections = max_connections
        self._http: aiohttp.ClientSession | None = None  # made on the event loop, at first use
        self.breaker = breaker

    async def complete(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]], *, user: str | None = None
    ) -> dict[str, Any]:
        """One completion: the assistant message (content and/or tool_calls) and the usage.

        ``user`` is OpenAI's end-user id: an opaque hash of the asker, never a name or an e-mail.

        Cancelling the await abandons the request (its connection is closed, not reused).
        Raises:
            DependencyUnavailable: no answer, a time-out, or a server error from the model service
                (after the retries), or its circuit is open.
        """

        async def attempt() -> dict[str, Any]:
            return await self.breaker.acall(
                lambda: self._complete_once(messages, tools, user), counts_as_failure=is_transient
            )

        return await with_retries_async(attempt)

    async def _complete_once(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]], user: str | None = None
    ) -> dict[str, Any]:
        import aiohttp  # loaded in the background since the instance started serving

        if self._http is None:
            self._http = aiohttp.ClientSession(
                self._base,
                timeout=aiohttp.ClientTimeout(total=self._timeout_seconds),
                connector=aiohttp.TCPConnector(limit=self._max_connections),
            )
        try:
            async with self._http.post(
                "/v1/chat/completions",
                json={"model": self._model, "messages": messages, "tools": tools, **({"user": user} if user else {})},
            ) as response:
                status = response.status
                body = await response.json(content_type=None) if status < 400 else None
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            raise DependencyUnavailable("model", f"the language model did not answer: {type(exc).__name__}") from exc
        if status >= 500 or status == 429:
            raise DependencyUnavailable("model", f"the language model answered {status}")
        if status >= 400:  # our request was wrong: trying again would not help
            raise DependencyUnavailable(
                "model", f"the language model refused the request ({status})", code="dependency_refused"
            )
        if not isinstance(body, dict) or not body.get("choices"):
            raise DependencyUnavailable(
                "model", "the language model answered without a choice", code="dependency_refused"
            )
        return {"message": body["choices"][0]["message"], "usage": body.get("usage", {})}

    def ping(self) -> bool:
        try:
            return requests.get(self._base + "/health", timeout=1).ok
        except requests.RequestException:
            return False

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.close()
