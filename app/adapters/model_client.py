"""Client of an OpenAI-compatible chat-completions endpoint (MODEL_URL).

Blocking (requests); the agent runtime calls it from a worker thread so the
event loop never waits on it.
"""

from __future__ import annotations

from typing import Any

import requests

from app.domain.errors import DependencyUnavailable


class ModelClient:
    def __init__(self, base_url: str, *, model: str, timeout_seconds: float) -> None:
        self._url = base_url.rstrip("/") + "/v1/chat/completions"
        self._model = model
        self._timeout = timeout_seconds
        self._http = requests.Session()

    def complete(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> dict[str, Any]:
        """One completion: the assistant message (content and/or tool_calls) and the usage.

        Raises:
            DependencyUnavailable: no answer, a time-out, or a server error from the model service.
        """
        try:
            response = self._http.post(self._url, json={"model": self._model, "messages": messages, "tools": tools},
                                       timeout=self._timeout)
        except requests.RequestException as exc:
            raise DependencyUnavailable("model", f"the language model did not answer: {type(exc).__name__}") from exc
        if response.status_code >= 400:
            raise DependencyUnavailable("model", f"the language model answered {response.status_code}")
        body = response.json()
        return {"message": body["choices"][0]["message"], "usage": body.get("usage", {})}

    def ping(self) -> bool:
        try:
            return self._http.get(self._url.rsplit("/v1", 1)[0] + "/health", timeout=1).ok
        except requests.RequestException:
            return False
