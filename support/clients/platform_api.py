"""The platform's HTTP API over ``requests``, recording every exchange (for the checks that hold everywhere,
and as the report's evidence, attached a step at a time: ``support.report.evidence.attach_exchanges``).

A thin client: paths and bodies in, ``Answer`` out. Business meaning lives in
``support.scenario.actors``; this module knows only HTTP.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.util.retry import Retry

from support.clients.exchanges import SentRequest, keep_as_evidence, record_http
from support.clients.paths import API_PREFIX, Operations
from support.clients.row_watch import RowWatch


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: CaseInsensitiveDict  # names in any case, as HTTP says

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def error_code(self) -> str | None:
        return self.body.get("error", {}).get("code") if isinstance(self.body, dict) else None

    @property
    def error_field(self) -> str | None:
        """The input field a refusal names as wrong (None: it names none)."""
        return self.body.get("error", {}).get("field") if isinstance(self.body, dict) else None

    def expect_ok(self, doing: str) -> Any:
        """The body of a successful answer; a clear AssertionError naming what failed otherwise."""
        if not self.ok:
            raise AssertionError(f"{doing} failed: the platform answered {self.status} {self.body}")
        return self.body

    def expect_record(self, doing: str) -> dict[str, Any]:
        """The record a successful answer holds (a JSON object); a clear AssertionError otherwise."""
        body = self.expect_ok(doing)
        if not isinstance(body, dict):
            raise AssertionError(f"{doing}: the platform answered {self.status} with no record: {str(body)[:200]}")
        return body


# A read (GET) that lost its connection before any answer came is sent once more: a kept-alive connection the
# server closed at its idle time-out just as the request went out. Never a write, never a refused connection.
READ_AGAIN = Retry(
    total=1, connect=0, read=1, status=0, other=0, allowed_methods=frozenset({"GET"}), raise_on_status=False
)


THIS_MACHINE = frozenset({"127.0.0.1", "localhost", "::1"})


def on_this_machine(url: str) -> bool:
    """Whether ``url`` is served on this machine (no proxy nor ``.netrc`` is looked up for it)."""
    return urlsplit(url).hostname in THIS_MACHINE


class PlatformApi:
    """One caller's session. ``token`` signs requests as a user; ``admin_key`` as the operator."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        admin_key: str | None = None,
        timeout: float = 15.0,
        session: requests.Session | None = None,
        source_address: str | None = None,
        caller: str | None = None,
        company: str | None = None,
        evidence: bool = True,
    ) -> None:
        """``evidence`` False: this session's exchanges are checked but not attached (the harness's own plumbing,
        such as each person's first sign-in)."""
        self.base_url = base_url.rstrip("/")
        self.company = company  # the caller's company (its id), for the checks that hold everywhere
        self._evidence = evidence
        self.caller = caller or ("the operator" if admin_key else "a signed-in person" if token else "nobody signed in")
        self._http = session or requests.Session()  # e.g. Locust's, which times every request
        if session is None and on_this_machine(self.base_url):
            self._http.trust_env = False  # no proxy nor .netrc for a platform on this machine, looked up per request
        if source_address or session is None:
            # another loopback address (127.0.0.0/8), as if from another machine; a read whose kept-alive
            # connection the server closed as it was sent (its idle time-out) is sent once more
            adapter = _FromAddress(source_address) if source_address else HTTPAdapter(max_retries=READ_AGAIN)
            self._http.mount("http://", adapter)
            self._http.mount("https://", adapter)
        self._timeout = timeout
        if token:
            self._http.headers["Authorization"] = f"Bearer {token}"
        if admin_key:
            self._http.headers["X-Admin-Key"] = admin_key

    def as_user(self, token: str, caller: str | None = None, company: str | None = None) -> PlatformApi:
        """The same platform, called with ``token`` (``caller``: who holds it, as the scenario names them, of
        ``company``)."""
        return PlatformApi(self.base_url, token=token, timeout=self._timeout, caller=caller, company=company)

    def get(self, path: str, **params: Any) -> Answer:
        return self.call("GET", path, params=params or None)

    def post(self, path: str, body: Any = None, *, headers: dict[str, str] | None = None) -> Answer:
        return self.call("POST", path, json=body, headers=headers)

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict | None = None,
        headers: dict[str, str] | None = None,
        data: bytes | str | None = None,
    ) -> Answer:
        """One request; ``data`` sends a raw body instead of ``json`` (for malformed-input checks)."""
        url = self.base_url + (path if path.startswith(Operations.AT_ROOT) else API_PREFIX + path)
        started = time.perf_counter()
        watch = RowWatch(self.company, method, path)
        response = self._http.request(
            method, url, json=json, data=data, params=params, headers=headers, timeout=self._timeout
        )
        watch.answered(response.status_code, sent=_sent_text(json, data), said=response.text)
        elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text
        answer = Answer(response.status_code, body, CaseInsensitiveDict(response.headers))
        sent_to = urlsplit(response.request.url or url)
        record_http(
            method,
            sent_to.path,
            self.caller,
            self.company,
            response.status_code,
            dict(response.headers),
            response.text,
            passwords=passwords_in(json),
            request=_as_sent(sent_to.query, response.request),
        )
        if self._evidence:
            keep_as_evidence(
                f"{method} {path} → {response.status_code} ({elapsed_ms} ms)",
                {
                    "request": {
                        "headers": _telling(response.request.headers),
                        "body": json if data is None else _shown(data),
                    },
                    "response": {"headers": _telling(response.headers), "body": body},
                },
            )
        return answer


SHAPING_HEADERS = ("content-type", "idempotency-key")


def _as_sent(query: str, request: requests.PreparedRequest) -> SentRequest:
    body = request.body.encode() if isinstance(request.body, str) else request.body
    shaping = tuple((name, str(value)) for name, value in request.headers.items() if name.lower() in SHAPING_HEADERS)
    return SentRequest(query, body if isinstance(body, bytes) else None, shaping)


class _FromAddress(HTTPAdapter):
    def __init__(self, address: str) -> None:
        self._address = address
        super().__init__(max_retries=READ_AGAIN)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, source_address=(self._address, 0), **kwargs)


# The headers an exchange's evidence shows: those that tell a reader something about this exchange (the
# protective headers every answer carries are checked after every step, not repeated in every attachment)
TELLING_HEADERS = frozenset(
    {
        "authorization",
        "x-admin-key",
        "idempotency-key",
        "content-type",
        "retry-after",
        "location",
        "www-authenticate",
        "allow",
        "x-planted-defect",
        "link",
    }
)


def _telling(headers: Any) -> dict[str, str]:
    return {k: _shown(v, 200) for k, v in headers.items() if k.lower() in TELLING_HEADERS}


def _shown(data: bytes | str, limit: int = 2000) -> str:
    text = data.decode(errors="replace") if isinstance(data, bytes) else data
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters in all)"


def passwords_in(body: Any) -> list[str]:
    """The passwords a JSON body carries, at any depth (a sign-in's, a newcomer's, a company's people's)."""
    if isinstance(body, dict):
        return [
            found
            for name, value in body.items()
            for found in (
                [value] if "password" in str(name).lower() and isinstance(value, str) else passwords_in(value)
            )
        ]
    if isinstance(body, list):
        return [found for item in body for found in passwords_in(item)]
    return []


def _sent_text(body: Any, data: bytes | str | None) -> str:
    """The request's body as text, to find the records it names (``str`` of a JSON body shows its ids as sent)."""
    if data is not None:
        return data.decode(errors="replace") if isinstance(data, bytes) else data
    return "" if body is None else str(body)
