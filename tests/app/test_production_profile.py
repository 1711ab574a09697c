"""Production refuses what only tests may use, naming each setting at once; the other profiles take it."""

from __future__ import annotations

import pytest

from app.config import Settings, production_problems

TEST_LIKE = {
    "database_url": "postgresql://platform@127.0.0.1:9/platform",
    "redis_url": "redis://127.0.0.1:9/0",
    "payment_processor_url": "http://127.0.0.1:9",
    "model_url": "http://model.example.com",
    "platform_admin_key": "twenty-four-chars-hunter",
    "token_secret": "forty-characters-of-a-token-secret-hunte",
    "password_hash_iterations": 1000,
    "clock_settable": True,
}
SOUND = {
    **TEST_LIKE,
    "payment_processor_url": "https://api.processor.example.com",
    "model_url": "https://model.example.com",
    "platform_admin_key": "k" * 32,
    "token_secret": "s" * 48,
    "password_hash_iterations": 600_000,
    "clock_settable": False,
}


@pytest.mark.parametrize("profile", ["development", "test", "staging"])
def test_outside_production_test_settings_are_taken(profile):
    assert production_problems(Settings(**TEST_LIKE, platform_profile=profile)) == []


def test_production_names_every_setting_it_refuses_and_never_a_secret():
    problems = production_problems(Settings(**TEST_LIKE, platform_profile="production"))
    assert [p.split(" ")[0] for p in problems] == [
        "PAYMENT_PROCESSOR_URL",
        "MODEL_URL",
        "PLATFORM_ADMIN_KEY",
        "TOKEN_SECRET",
        "CLOCK_SETTABLE",
        "PASSWORD_HASH_ITERATIONS",
    ]
    assert not any("hunter" in p for p in problems)


def test_production_takes_sound_settings_at_the_edges():
    assert production_problems(Settings(**SOUND, platform_profile="production")) == []


def test_production_refuses_a_previous_key_too_short_and_a_loopback_by_name():
    settings = Settings(
        **{**SOUND, "model_url": "https://localhost:8443"},
        platform_profile="production",
        token_previous_secrets="p" * 47,
    )
    assert [p.split(" ")[0] for p in production_problems(settings)] == ["MODEL_URL", "TOKEN_PREVIOUS_SECRETS"]


def test_the_profile_is_one_of_four():
    with pytest.raises(ValueError):
        Settings(**SOUND, platform_profile="prod")


def test_a_previous_key_is_taken_from_32_characters_in_every_profile_as_the_key_itself_is():
    taken = Settings(**TEST_LIKE, token_previous_secrets=f"{'a' * 32},{'b' * 40}")
    assert taken.token_previous_secrets.split(",") == ["a" * 32, "b" * 40]
    with pytest.raises(ValueError, match="each previous key must have at least 32 characters"):
        Settings(**TEST_LIKE, token_previous_secrets=f"{'b' * 40},{'a' * 31}")
    with pytest.raises(ValueError, match="at least 32 characters"):
        Settings(**{**TEST_LIKE, "token_secret": "s" * 31})
