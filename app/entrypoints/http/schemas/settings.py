"""What an operator's settings reload answers."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SettingsReloadOut(BaseModel):
    changed: list[str] = Field(
        description="The settings this instance took anew, by name (never a value); empty when nothing changed."
    )
    instances_told: int = Field(description="How many other instances were told to read their settings again.")
