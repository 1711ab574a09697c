"""Client of an OpenAI-compatible chat-completions endpoint (MODEL_URL).

Blocking (requests); the agent runtime calls it from a worker thread so the
event loop never waits on it. A completion changes nothing, so a failed one is
retried with backoff; every call goes through the model's circuit breaker.
"""

from __future__ import annotations

from typing import Any

import requests

from app.adapters.circuit_breaker import CircuitBreaker
from app.adapters.retry_policy import is_transient, with_retries
from app.domain.errors import DependencyUnavailable


class ModelClient:
    def __init__(self, base_url: str, *, model: str, timeout_seconds: float, breaker: CircuitBreaker) -> None:
        self._url = base_url.rstrip("/") + "/v1/chat/completions"
        self._model = model
        self._timeout = timeout_seconds
        self._http = requests.Session()
        self.breaker = breaker

    def complete(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> dict[str, Any]:
        """One completion: the assistant message (content and/or tool_calls) and the usage.

        Raises:
            DependencyUnavailable: no answer, a time-out, or a server error from the model service
                (after the retries), or its circuit is open.
        """
        return with_retries(lambda: self.breaker.call(lambda: self._complete_once(messages, tools),
                                                      counts_as_failure=is_transient))

    def _complete_once(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> dict[str, Any]:
        try:
            response = self._http.post(self._url, json={"model": self._model, "messages": messages, "tools": tools},
                                       timeout=self._timeout)
        except requests.RequestException as exc:
            raise DependencyUnavailable("model", f"the language model did not answer: {type(exc).__name__}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise DependencyUnavailable("model", f"the language model answered {response.status_code}")
        if response.status_code >= 400:  # our request was wrong: trying again would not help
            raise DependencyUnavailable("model", f"the language model refused the request ({response.status_code})",
                                        code="dependency_refused")
        body = response.json()
        return {"message": body["choices"][0]["message"], "usage": body.get("usage", {})}

    def ping(self) -> bool:
        try:
            return self._http.get(self._url.rsplit("/v1", 1)[0] + "/health", timeout=1).ok
        except requests.RequestException:
            return False
