"""docs/settings.md is what app/config.py says: every setting, its default, what it accepts, whether it changes
while running, what it does, and what production refuses."""

from __future__ import annotations

from app.config import Settings
from support.documentation import settings_reference


def test_the_committed_reference_is_the_one_the_settings_make():
    assert settings_reference.PAGE.read_text() == settings_reference.page(), (
        "docs/settings.md differs from app/config.py: python -m support.documentation.settings_reference --write"
    )


def test_every_setting_says_what_it_does():
    assert [name for name, field in Settings.model_fields.items() if not (field.description or "").strip()] == []


def test_a_bound_a_default_and_a_setting_that_changes_while_running_are_shown_as_an_operator_reads_them():
    rows = {
        line.split("|")[1].strip(): line for line in settings_reference.page().splitlines() if line.startswith("| `")
    }
    assert "| `8` | a whole number, more than 0 | yes |" in rows["`ASSISTANT_MAX_TOOL_CALLS_PER_RUN`"]
    assert "| **required** | text, at least 32 characters | yes |" in rows["`TOKEN_SECRET`"]
    assert "| `false` | true or false |  |" in rows["`CLOCK_SETTABLE`"]
