"""Settings changed while the platform runs: a file of KEY=VALUE lines (PLATFORM_SETTINGS_FILE), read at start over
the environment and again on SIGHUP (on each instance that is sent the signal) or on an operator's call
(``POST /api/v1/admin/settings/reload``: the instance called, then every other one, told through Redis).

Only HOT_SETTINGS may change while running (the token keys, the sign-in limits, the assistant's look-up limits, the
circuits' threshold and pause, the log level); a change is taken as a whole or
refused as a whole, naming every setting that is wrong, and the running settings stay. Nothing secret is ever
repeated: a reload names the settings it changed, never their values.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.config import Settings, production_problems

HOT_SETTINGS = (
    "token_secret",
    "token_previous_secrets",
    "sign_in_failures_per_account",
    "sign_in_failures_per_source",
    "sign_in_window_seconds",
    "assistant_max_tool_calls_per_run",
    "assistant_tool_calls_per_minute",
    "breaker_failure_threshold",
    "breaker_reset_seconds",
    "log_level",
)


class SettingsRefused(Exception):
    """A change that cannot be taken; ``problems`` names each setting (``NAME (why)``)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


def read_file(path: str | None) -> dict[str, Any]:
    """The file's settings by field name; lines that are blank or start with # are skipped.

    Raises:
        SettingsRefused: a line that is not ``NAME=VALUE``, or names no setting (a misspelt one was skipped, and
            the change it was written for answered as made); each is named, with its line's number.
    """
    if not path or not Path(path).exists():
        return {}
    values: dict[str, Any] = {}
    problems = []
    for number, line in enumerate(Path(path).read_text().splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, equals, value = line.partition("=")
        name = name.strip()
        if not equals or not name:
            problems.append(f"PLATFORM_SETTINGS_FILE (line {number} is not NAME=VALUE)")
        elif name.lower() not in Settings.model_fields:
            problems.append(f"{name.upper()} (no such setting, line {number})")
        else:
            values[name.lower()] = value.strip()
    if problems:
        raise SettingsRefused(problems)
    return values


def settings_with_file() -> Settings:
    """The settings of the environment with the file's over them (raises ValidationError as ``Settings()``, and
    SettingsRefused as ``read_file``)."""
    base = Settings()
    return Settings(**read_file(base.platform_settings_file)) if base.platform_settings_file else base


def reloaded(running: Settings) -> tuple[Settings, list[str]]:
    """The settings the file gives now, and the names of those that changed.

    Raises:
        SettingsRefused: a setting that may not change while running changed, or a value is invalid.
    """
    if not running.platform_settings_file:  # answered "nothing changed", an operator would take it as done
        raise SettingsRefused(["PLATFORM_SETTINGS_FILE (not set: this instance has no settings file to read)"])
    try:
        fresh = Settings(**read_file(running.platform_settings_file))
    except ValidationError as exc:
        raise SettingsRefused(
            [f"{'.'.join(str(p) for p in e['loc']).upper()} ({e['msg']})" for e in exc.errors()]
        ) from None
    cold = [
        name.upper()
        for name in Settings.model_fields
        if name not in HOT_SETTINGS and getattr(fresh, name) != getattr(running, name)
    ]
    problems = [f"{name} (changes only with a restart)" for name in cold] + production_problems(fresh)
    if problems:
        raise SettingsRefused(problems)
    changed = [name.upper() for name in HOT_SETTINGS if getattr(fresh, name) != getattr(running, name)]
    return fresh, changed


def apply(platform: Any, fresh: Settings) -> None:
    """The running objects take the new values."""
    platform.tokens.use_keys(fresh.token_secret, fresh.previous_token_secrets)
    throttle = platform.sign_in_throttle
    throttle.per_account = fresh.sign_in_failures_per_account
    throttle.per_source = fresh.sign_in_failures_per_source
    throttle.window_seconds = fresh.sign_in_window_seconds
    platform.assistant.limit_tool_calls(
        per_run=fresh.assistant_max_tool_calls_per_run, per_minute=fresh.assistant_tool_calls_per_minute
    )
    for gateway in (platform.payments, platform.model):
        gateway.breaker.tune(threshold=fresh.breaker_failure_threshold, reset_seconds=fresh.breaker_reset_seconds)
    use_log_level(fresh.log_level)
    platform.settings = fresh


def use_log_level(level: str) -> None:
    """The platform's log level; the settings' own log (who changed what) is always written."""
    logging.getLogger().setLevel(level)
    logging.getLogger("app.settings").setLevel(logging.INFO)


def reload(platform: Any, by: str) -> list[str]:
    """The settings file read again and taken as a whole; logged with who asked (``by``), naming the settings
    changed, never a value. Returns their names.

    Raises:
        SettingsRefused: the change is refused as a whole (logged too); the running settings stay.
    """
    log = logging.getLogger("app.settings")
    try:
        fresh, changed = reloaded(platform.settings)
    except SettingsRefused as refused:
        log.warning("platform: settings reload refused (%s), the running settings stay: %s", by, refused)
        raise
    apply(platform, fresh)
    log.warning("platform: settings reloaded (%s): %s", by, ", ".join(changed) or "nothing changed")
    return changed


def reload_quietly(platform: Any, by: str) -> None:
    """``reload`` for a signal or a notice from another instance: a refusal is only logged."""
    try:
        reload(platform, by)
    except SettingsRefused:
        pass
