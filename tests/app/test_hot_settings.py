"""Settings changed while running: the file re-read on SIGHUP is taken as a whole or refused as a whole."""

from __future__ import annotations

import logging
import uuid
from types import SimpleNamespace

import pytest

from app.adapters.credentials import TokenSigner
from app.hot_settings import (
    SettingsRefused,
    apply,
    reload,
    reload_quietly,
    reloaded,
    settings_with_file,
    use_log_level,
)
from app.main import load_settings

OLD_KEY, NEW_KEY = "o" * 48, "n" * 48


@pytest.fixture
def settings_file(tmp_path, monkeypatch):
    path = tmp_path / "platform.env"
    path.write_text("")
    for name, value in {
        "DATABASE_URL": "postgresql://platform@127.0.0.1:9/platform",
        "REDIS_URL": "redis://127.0.0.1:9/0",
        "PAYMENT_PROCESSOR_URL": "http://127.0.0.1:9",
        "MODEL_URL": "http://127.0.0.1:9",
        "PLATFORM_ADMIN_KEY": "a" * 32,
        "TOKEN_SECRET": OLD_KEY,
        "PLATFORM_SETTINGS_FILE": str(path),
    }.items():
        monkeypatch.setenv(name, value)
    return path


def test_a_new_key_keeping_the_old_one_is_taken_and_named_never_shown(settings_file):
    running = settings_with_file()
    settings_file.write_text(f"TOKEN_SECRET={NEW_KEY}\nTOKEN_PREVIOUS_SECRETS={OLD_KEY}\n")
    fresh, changed = reloaded(running)
    assert changed == ["TOKEN_SECRET", "TOKEN_PREVIOUS_SECRETS"]
    signer = TokenSigner(OLD_KEY, ttl_seconds=60)
    old_token, _ = signer.issue(user_id=uuid.uuid4(), company_id=uuid.uuid4())
    platform = _platform(running, signer)
    apply(platform, fresh)
    signer.verify(old_token)  # the previous key still honoured
    new_token, _ = signer.issue(user_id=uuid.uuid4(), company_id=uuid.uuid4())
    assert TokenSigner(NEW_KEY, ttl_seconds=60).verify(new_token)
    assert platform.settings is fresh


def test_a_setting_that_needs_a_restart_or_an_invalid_one_refuses_the_whole_change(settings_file):
    running = settings_with_file()
    settings_file.write_text(f"TOKEN_SECRET={NEW_KEY}\nREDIS_URL=redis://elsewhere:6379/0\nSIGN_IN_WINDOW_SECONDS=0\n")
    with pytest.raises(SettingsRefused) as refused:
        reloaded(running)
    assert [p.split(" ")[0] for p in refused.value.problems] == ["SIGN_IN_WINDOW_SECONDS"]
    settings_file.write_text(f"TOKEN_SECRET={NEW_KEY}\nREDIS_URL=redis://elsewhere:6379/0\n")
    with pytest.raises(SettingsRefused) as refused:
        reloaded(running)
    assert refused.value.problems == ["REDIS_URL (changes only with a restart)"]
    assert NEW_KEY not in str(refused.value)


def test_an_unchanged_file_changes_nothing(settings_file):
    running = settings_with_file()
    assert reloaded(running)[1] == []


class _Tuned:
    """What a reload tunes on the running objects, as it was told."""

    def __init__(self) -> None:
        self.told: dict[str, object] = {}

    def limit_tool_calls(self, **limits: object) -> None:
        self.told.update(limits)

    def tune(self, **numbers: object) -> None:
        self.told.update(numbers)


def _platform(running, signer=None):
    return SimpleNamespace(
        tokens=signer or TokenSigner(OLD_KEY, ttl_seconds=60),
        sign_in_throttle=SimpleNamespace(),
        assistant=_Tuned(),
        payments=SimpleNamespace(breaker=_Tuned()),
        model=SimpleNamespace(breaker=_Tuned()),
        settings=running,
    )


def test_a_reload_logs_who_asked_and_the_names_changed_never_a_value(settings_file, caplog):
    platform = _platform(settings_with_file())
    settings_file.write_text(f"TOKEN_SECRET={NEW_KEY}\nTOKEN_PREVIOUS_SECRETS={OLD_KEY}\n")
    with caplog.at_level("WARNING", logger="app.settings"):
        assert reload(platform, "an operator's call from 10.0.0.7") == ["TOKEN_SECRET", "TOKEN_PREVIOUS_SECRETS"]
    assert caplog.messages == [
        "platform: settings reloaded (an operator's call from 10.0.0.7): TOKEN_SECRET, TOKEN_PREVIOUS_SECRETS"
    ]
    assert NEW_KEY not in caplog.text and OLD_KEY not in caplog.text


def test_a_refused_reload_is_logged_with_who_asked_and_raised_or_only_logged_when_quiet(settings_file, caplog):
    running = settings_with_file()
    platform = _platform(running)
    settings_file.write_text(f"TOKEN_SECRET={NEW_KEY}\nREDIS_URL=redis://elsewhere:6379/0\n")
    with caplog.at_level("WARNING", logger="app.settings"):
        with pytest.raises(SettingsRefused):
            reload(platform, "SIGHUP")
        reload_quietly(platform, "an operator's call to another instance")
    assert caplog.messages == [
        "platform: settings reload refused (SIGHUP), the running settings stay: REDIS_URL (changes only with a restart)",
        "platform: settings reload refused (an operator's call to another instance), the running settings stay: "
        "REDIS_URL (changes only with a restart)",
    ]
    assert platform.settings is running and NEW_KEY not in caplog.text


def test_the_look_up_limits_the_circuits_numbers_and_the_log_level_are_taken_without_a_restart(settings_file):
    platform = _platform(settings_with_file())
    settings_file.write_text(
        "ASSISTANT_MAX_TOOL_CALLS_PER_RUN=3\nASSISTANT_TOOL_CALLS_PER_MINUTE=7\n"
        "BREAKER_FAILURE_THRESHOLD=2\nBREAKER_RESET_SECONDS=4.5\nLOG_LEVEL=WARNING\n"
    )
    try:
        changed = reload(platform, "SIGHUP")
        assert changed == [
            "ASSISTANT_MAX_TOOL_CALLS_PER_RUN",
            "ASSISTANT_TOOL_CALLS_PER_MINUTE",
            "BREAKER_FAILURE_THRESHOLD",
            "BREAKER_RESET_SECONDS",
            "LOG_LEVEL",
        ]
        assert platform.assistant.told == {"per_run": 3, "per_minute": 7}
        for gateway in (platform.payments, platform.model):
            assert gateway.breaker.told == {"threshold": 2, "reset_seconds": 4.5}
        assert logging.getLogger().level == logging.WARNING
        assert logging.getLogger("app.settings").getEffectiveLevel() == logging.INFO, "who changed what is kept"
    finally:
        use_log_level("INFO")


def test_a_misspelt_setting_or_a_line_that_is_no_setting_refuses_the_whole_change_naming_each(settings_file):
    """Both were skipped: the reload answered, naming nothing changed, and the limit it was written for stayed."""
    running = settings_with_file()
    settings_file.write_text(
        f"# the new key\nTOKEN_SECRET={NEW_KEY}\nSIGN_IN_FAILURES_PER_ACOUNT=3\n\nLOG_LEVEL WARNING\n=5\n"
    )
    with pytest.raises(SettingsRefused) as refused:
        reloaded(running)
    assert refused.value.problems == [
        "SIGN_IN_FAILURES_PER_ACOUNT (no such setting, line 3)",
        "PLATFORM_SETTINGS_FILE (line 5 is not NAME=VALUE)",
        "PLATFORM_SETTINGS_FILE (line 6 is not NAME=VALUE)",
    ]


def test_a_platform_whose_settings_file_names_no_setting_does_not_start_and_says_why(settings_file, capsys):
    settings_file.write_text("SIGN_IN_FAILURES_PER_ACOUNT=3\n")
    with pytest.raises(SystemExit) as stopped:
        load_settings()
    assert stopped.value.code == 2
    assert "SIGN_IN_FAILURES_PER_ACOUNT (no such setting, line 1)" in capsys.readouterr().err


def test_a_reload_of_an_instance_without_a_settings_file_is_refused_saying_so(settings_file, monkeypatch):
    """It was answered "nothing changed": an operator rotating a key took it as done."""
    monkeypatch.delenv("PLATFORM_SETTINGS_FILE")
    with pytest.raises(SettingsRefused) as refused:
        reloaded(settings_with_file())
    assert refused.value.problems == ["PLATFORM_SETTINGS_FILE (not set: this instance has no settings file to read)"]
