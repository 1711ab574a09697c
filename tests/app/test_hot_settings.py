"""Settings changed while running: the file re-read on SIGHUP is taken as a whole or refused as a whole."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

from app.adapters.credentials import TokenSigner
from app.hot_settings import SettingsRefused, apply, reload, reload_quietly, reloaded, settings_with_file

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
    platform = SimpleNamespace(tokens=signer, sign_in_throttle=SimpleNamespace(), settings=running)
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


def _platform(running):
    return SimpleNamespace(
        tokens=TokenSigner(OLD_KEY, ttl_seconds=60), sign_in_throttle=SimpleNamespace(), settings=running
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
