"""The harness's client looks up no proxy nor .netrc for a platform on this machine (requests does so on every
request otherwise: a sixth of its CPU a request); for a deployment elsewhere it honours them as requests does."""

from __future__ import annotations

import pytest

from support.clients.platform_api import PlatformApi


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost:8000/"])
def test_a_platform_on_this_machine_is_called_without_the_environment_s_proxies(url):
    assert PlatformApi(url)._http.trust_env is False


def test_a_deployment_elsewhere_is_called_through_the_environment_s_proxies():
    assert PlatformApi("https://platform.example.com")._http.trust_env is True
