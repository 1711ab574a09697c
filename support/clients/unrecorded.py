"""Kept-alive HTTP sessions for the harness's own requests that nobody records (the checks' outsiders, colleagues
and owners), one for each purpose.

For a platform on this machine the environment's proxies and ``.netrc`` are not looked up at every request, as
the scenarios' own clients do not (``PlatformApi``): requests does so by default, a millisecond a request, which
was a tenth of the time of the checks at a scenario's last step (profiled with cProfile over the sales and
billing features). A platform elsewhere is reached as the environment says.
"""

from __future__ import annotations

import requests

from support.clients.paths import API_PREFIX
from support.clients.platform_api import on_this_machine

_SESSIONS: dict[tuple[str, bool], requests.Session] = {}
TIMEOUT_S = 15.0


def session_for(purpose: str, url: str) -> requests.Session:
    """The session kept for ``purpose`` (e.g. "strangers") to reach ``url``."""
    here = on_this_machine(url)
    key = (purpose, here)
    if key not in _SESSIONS:
        session = requests.Session()
        session.trust_env = not here
        _SESSIONS[key] = session
    return _SESSIONS[key]


def sent_by(token: str, purpose: str, platform_url: str, method: str, path: str) -> requests.Response | None:
    """``method path`` (an address of the API) sent as the person of the session ``token``, over the session kept
    for ``purpose``; None when no answer came."""
    try:
        return session_for(purpose, platform_url).request(
            method,
            platform_url.rstrip("/") + API_PREFIX + path,
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT_S,
        )
    except requests.RequestException:
        return None
