"""What an operator's settings reload answers, and what a test stack's operator sets a company's clock to."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, Field


class SettingsReloadOut(BaseModel):
    changed: list[str] = Field(
        description="The settings this instance took anew, by name (never a value); empty when nothing changed."
    )
    instances_told: int = Field(
        description="How many other instances were told to read their settings again: none while Redis is away, "
        "when each reads them as soon as it hears the others again."
    )


class ClockIn(BaseModel):
    at: AwareDatetime | None = Field(
        description="The instant the company's clock stands at, with its offset; null lets it run with the real time."
    )
