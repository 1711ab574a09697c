"""Where the specification points: the embedded stack, or a deployment.

Read from behave's userdata (``-D target=...``) first, then the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class SpecConfig:
    platform_url: str | None
    platform_urls: str | None
    model_url: str | None
    mail_server_url: str | None
    database_url: str | None
    redis_url: str | None
    payment_processor_url: str | None
    admin_key: str | None
    token_secret: str | None
    stack_control_url: str | None = None

    @classmethod
    def from_sources(
        cls, userdata: Mapping[str, str] | None = None, environ: Mapping[str, str] | None = None
    ) -> SpecConfig:
        userdata = userdata or {}
        environ = environ if environ is not None else os.environ

        def pick(define: str, variable: str) -> str | None:
            return userdata.get(define) or environ.get(variable) or None

        return cls(
            platform_url=pick("target", "PLATFORM_URL"),
            platform_urls=pick("targets", "PLATFORM_URLS"),
            model_url=pick("model_url", "MODEL_URL"),
            mail_server_url=pick("mail_server_url", "MAIL_SERVER_URL"),
            database_url=pick("database_url", "DATABASE_URL"),
            redis_url=pick("redis_url", "REDIS_URL"),
            payment_processor_url=pick("payment_processor_url", "PAYMENT_PROCESSOR_URL"),
            admin_key=pick("admin_key", "PLATFORM_ADMIN_KEY"),
            token_secret=pick("token_secret", "TOKEN_SECRET"),
            stack_control_url=pick("stack_control_url", "STACK_CONTROL_URL"),
        )

    def as_environment(self) -> dict[str, str]:
        pairs = {
            "PLATFORM_URL": self.platform_url,
            "PLATFORM_URLS": self.platform_urls,
            "MODEL_URL": self.model_url,
            "MAIL_SERVER_URL": self.mail_server_url,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "PAYMENT_PROCESSOR_URL": self.payment_processor_url,
            "PLATFORM_ADMIN_KEY": self.admin_key,
            "TOKEN_SECRET": self.token_secret,
            "STACK_CONTROL_URL": self.stack_control_url,
        }
        return {k: v for k, v in pairs.items() if v}
