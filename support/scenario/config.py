"""Where the specification points: the embedded stack, or a deployment.

One pydantic-settings class: behave's userdata (``-D target=...``) first, then
the environment (``PLATFORM_URL``...). The same class holds the addresses of a
started stack (``SpecConfig.of(stack.env)``), so each address is named once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

USERDATA = {  # behave -D name -> field
    "target": "platform_url",
    "targets": "platform_urls",
    "model_url": "model_url",
    "mail_server_url": "mail_server_url",
    "database_url": "database_url",
    "redis_url": "redis_url",
    "analytics_url": "analytics_url",
    "payment_processor_url": "payment_processor_url",
    "admin_key": "admin_key",
    "token_secret": "token_secret",
    "stack_control_url": "stack_control_url",
    "platform_logs": "platform_logs",
    "platform_settings_file": "platform_settings_file",
}


class SpecConfig(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    platform_url: str | None = Field(None, description="one platform instance (PLATFORM_URL)")
    platform_urls: str | None = Field(None, description="every instance, comma-separated (PLATFORM_URLS)")
    model_url: str | None = None
    mail_server_url: str | None = None
    database_url: str | None = None
    redis_url: str | None = None
    analytics_url: str | None = Field(None, description="the analytics store, ClickHouse's HTTP interface")
    payment_processor_url: str | None = None
    admin_key: str | None = Field(None, validation_alias=AliasChoices("admin_key", "PLATFORM_ADMIN_KEY"))
    token_secret: str | None = None
    stack_control_url: str | None = None
    platform_logs: str | None = Field(None, description="the instances' log files, comma-separated (embedded only)")
    platform_settings_file: str | None = Field(
        None, description="the instances' file of settings changed while running"
    )

    @classmethod
    def from_sources(cls, userdata: Mapping[str, str] | None = None) -> SpecConfig:
        """Userdata first, then the process environment."""
        given: dict[str, Any] = {USERDATA[k]: v for k, v in (userdata or {}).items() if k in USERDATA and v}
        return cls(**given)

    @classmethod
    def of(cls, environment: Mapping[str, str]) -> SpecConfig:
        """The addresses in ``environment`` only (a started stack's), not the process's own."""
        given: dict[str, Any] = {field: environment.get(variable) or None for field, variable in _VARIABLES.items()}
        return cls.model_construct(**given)

    @property
    def instance_urls(self) -> list[str]:
        """Every platform instance; the one ``platform_url`` when no list is given."""
        listed = [url for url in (self.platform_urls or "").split(",") if url]
        return listed or ([self.platform_url] if self.platform_url else [])

    def as_environment(self) -> dict[str, str]:
        return {variable: value for field, variable in _VARIABLES.items() if (value := getattr(self, field))}


_VARIABLES = {
    field: ("PLATFORM_ADMIN_KEY" if field == "admin_key" else field.upper()) for field in SpecConfig.model_fields
}
