"""Every password a scenario's requests carry is remembered for the scenario, so no log may show it."""

from __future__ import annotations

from support.clients.exchanges import record_http, start_recording, stop_recording
from support.clients.platform_api import passwords_in


def test_the_passwords_of_a_body_are_found_at_any_depth_and_nothing_else():
    company = {
        "slug": "globex",
        "owner": {"email": "o@globex.example", "password": "Owner-pass-1"},
        "people": [{"name": "Sam", "password": "Sam-pass-12"}, {"name": "No password"}],
        "new_password": "Changed-pass-3",
        "password_hint": 7,
    }
    assert passwords_in(company) == ["Owner-pass-1", "Sam-pass-12", "Changed-pass-3"]
    assert passwords_in(None) == [] and passwords_in("password") == []


def test_a_recorded_answer_keeps_the_passwords_its_request_carried():
    recorder = start_recording()
    try:
        record_http("POST", "/api/v1/auth/token", "Fiona", None, 401, {}, "{}", passwords=["Wrong-pass-1"])
        record_http("GET", "/api/v1/me", "Fiona", None, 200, {}, "{}")
        assert recorder.passwords_sent() == ("Wrong-pass-1",)
    finally:
        stop_recording()
