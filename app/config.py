"""The platform's settings: one object, validated once at start-up.

A missing or invalid setting stops the process with a message that names it
(see ``app.main``), rather than failing on the first request. The profile
(``PLATFORM_PROFILE``: development, test, staging, production) says which
environment this is; production also refuses what only tests may use
(``production_problems``), naming every such setting at once.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, HttpUrl, PostgresDsn, RedisDsn, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    platform_settings_file: str | None = Field(
        default=None,
        description="A file of KEY=VALUE settings over the environment; re-read on SIGHUP for those that may change"
        " while running (HOT_SETTINGS).",
    )
    platform_profile: Literal["development", "test", "staging", "production"] = Field(
        default="development", description="Which environment this is; production refuses what only tests may use."
    )
    clock_settable: bool = Field(
        default=False,
        description="Whether the operator may make a company's clock stand at an instant (a test stack's edges; "
        "production refuses it).",
    )

    database_url: PostgresDsn = Field(
        description="PostgreSQL; several hosts (host-a:5432,host-b:5432) for a primary and the standby that may take over."
    )
    redis_url: RedisDsn = Field(
        description="Redis: live events, the other instances' notices, rate limits, circuits, the reports' cache."
    )
    payment_processor_url: HttpUrl = Field(description="The payment processor's API.")
    model_url: HttpUrl = Field(description="The language model's API (OpenAI-style chat completions).")
    smtp_url: str | None = Field(
        default=None,
        pattern=r"^smtp://[^/:]+(:[0-9]+)?/?$",
        description="Where invoice e-mails go; none: they wait in the outbox.",
    )
    analytics_url: HttpUrl | None = Field(
        default=None, description="The analytics store (ClickHouse's HTTP interface); none: no analytics."
    )
    mail_from: str = Field(default="billing@platform.example", description="The sender of invoice e-mails.")
    model_name: str = Field(default="business-assistant", description="The model the assistant asks for.")
    model_timeout_seconds: float = Field(default=30.0, gt=0, description="How long one answer of the model may take.")
    assistant_max_tool_calls_per_run: int = Field(
        default=8, gt=0, description="Tool calls one question may make; past them the run ends as too_many_tool_calls."
    )
    assistant_tool_calls_per_minute: int = Field(
        default=60, gt=0, description="Tool calls one person's questions may make in any minute."
    )
    assistant_memory_messages: int = Field(
        default=40,
        ge=0,
        description="The latest messages of a conversation the model is given with a new question (all are kept).",
    )
    assistant_memory_characters: int = Field(
        default=200_000,
        ge=0,
        description="The most characters of a conversation's latest messages the model is given with a new question.",
    )
    sign_in_failures_per_account: int = Field(
        default=5, gt=0, description="Failed sign-ins for one account in a window before it is refused (429)."
    )
    sign_in_failures_per_source: int = Field(
        default=100, gt=0, description="Failed sign-ins from one address in a window before it is refused (429)."
    )
    sign_in_window_seconds: int = Field(default=300, gt=0, description="How long failed sign-ins are counted.")
    assistant_event_retention_seconds: int = Field(
        default=3600, gt=0, description="How long a run's events are kept for a person to follow or resume it."
    )
    assistant_max_running_runs: int = Field(default=32, gt=0, description="Runs one instance works on at once.")
    assistant_runs_at_once_per_person: int = Field(
        default=4,
        gt=0,
        description="Runs of one person an instance works on at once; their others wait for one of those to end.",
    )
    assistant_max_waiting_runs: int = Field(
        default=2000,
        ge=0,
        description="Accepted runs that may wait for a turn on one instance; past them a question is answered busy.",
    )
    assistant_accept_within_seconds: float = Field(
        default=5.0, gt=0, description="A question not stored within this time is answered busy (never left waiting)."
    )
    assistant_run_lease_seconds: float = Field(
        default=10.0,
        gt=0,
        description="How long a run outlives a silent instance before another instance ends it as instance_lost.",
    )
    shutdown_grace_seconds: float = Field(
        default=20.0,
        gt=0,
        description="Told to stop (SIGTERM), how long the assistant's running questions may take to end first.",
    )
    assistant_connections_per_person: int = Field(
        default=10,
        gt=0,
        description="Assistant connections one person may hold open on an instance at once; the next is closed "
        "with 1008 and why.",
    )
    assistant_outbox_limit: int = Field(
        default=2000, gt=0, description="Messages waiting for one slow client before it is disconnected."
    )
    platform_admin_key: str = Field(min_length=16, description="Key that lets an operator create tenants.")
    token_secret: str = Field(min_length=32, description="HMAC key for access tokens.")
    token_previous_secrets: str = Field(
        default="",
        description="Keys being rotated out, comma-separated: tokens they signed are honoured until they expire.",
    )

    @field_validator("token_previous_secrets")
    @classmethod
    def _each_long_enough(cls, value: str) -> str:
        if any(len(key) < 32 for key in value.split(",") if key):
            raise ValueError("each previous key must have at least 32 characters")
        return value

    @property
    def previous_token_secrets(self) -> tuple[str, ...]:
        return tuple(key for key in self.token_previous_secrets.split(",") if key)

    token_ttl_seconds: int = Field(default=3600, gt=0, description="How long an access token is honoured.")
    # OWASP's 2023 figure for PBKDF2-SHA256; throwaway test stacks may lower it to save CPU.
    password_hash_iterations: int = Field(
        default=600_000, ge=1_000, description="PBKDF2-SHA256 rounds for a new password's hash."
    )
    db_pool_size: int = Field(
        default=10,
        gt=0,
        description="Connections of the blocking pool (the HTTP routes run in worker threads: signing in, people, "
        "settings, reports, analytics, backups).",
    )
    db_async_pool_size: int = Field(
        default=20,
        gt=0,
        description="Connections of the asyncio pool (the assistant's hot path, every request's session check, the "
        "reads, and the writes run on the event loop but a payment's).",
    )
    db_payments_pool_size: int = Field(
        default=10,
        gt=0,
        description="Connections of the payments' asyncio pool (payments, refunds and approval decisions, which hold "
        "theirs while the payment processor answers): kept apart, so a slow processor never takes the connections "
        "the other requests and the assistant need.",
    )
    redis_async_pool_size: int = Field(
        default=200,
        gt=0,
        description="Connections of the asyncio Redis pool (live events, the assistant's event logs and allowances, "
        "the circuits, the other instances' notices): a burst waits up to 20 s for one rather than failing.",
    )
    db_async_statement_timeout_ms: int = Field(
        default=5000,
        gt=0,
        description="PostgreSQL's time limit for "
        "each statement of the asyncio pool: the assistant's hot path (the tools' limit "
        "unless a company sets its own), session checks, reads and writes (the payments' pool sets none).",
    )
    db_async_pool_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="How long the assistant, or a request on the event loop, waits for a free connection of the "
        "asyncio pool before answering busy.",
    )
    db_pool_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="How long a request waits for a free connection of the blocking pool (in a worker thread) or the "
        "payments' pool before answering 503.",
    )
    db_connect_timeout_seconds: int = Field(
        default=5,
        ge=2,
        description="How long opening a database connection may take before it counts as failed (whole seconds, "
        "2 at least: libpq's own rule), so a server that takes connections but never answers is found out.",
    )
    startup_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="How long after starting an instance waits for its dependencies before naming in its log each "
        "one that has not answered (it serves meanwhile, and is ready once they answer).",
    )
    forget_expired_every_seconds: float = Field(
        default=60.0,
        gt=0,
        description="How often an instance forgets the idempotency keys and the revocations that have expired "
        "(both would be kept for good: a row for every payment and every sign-out).",
    )
    payment_timeout_seconds: float = Field(
        default=5.0, gt=0, description="How long one request to the payment processor may take."
    )
    report_cache_seconds: int = Field(
        default=300, gt=0, description="How long a report stays cached when nothing of the company changes."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="The platform's own log level (a reload's record of who changed what is kept)."
    )
    breaker_failure_threshold: int = Field(default=5, gt=0, description="Failures in a row that open a circuit.")
    breaker_reset_seconds: float = Field(default=15.0, gt=0, description="How long an open circuit refuses calls.")

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL as SQLAlchemy wants it (``as_sqlalchemy_url``)."""
        return as_sqlalchemy_url(self.database_url)


def as_sqlalchemy_url(database_url: PostgresDsn) -> str:
    """A database URL with the psycopg 3 driver named, as SQLAlchemy wants it. Several hosts (a standby that may
    take over, libpq's ``host-a:5432,host-b:5432``) become SQLAlchemy's ``?host=host-a:5432&host=...``; with
    ``target_session_attrs=read-write`` each new connection finds the primary wherever it is."""
    hosts = database_url.hosts()
    if len(hosts) > 1:
        first = hosts[0]
        credentials = (first["username"] or "") + (f":{first['password']}" if first["password"] else "")
        seats = "&".join(f"host={h['host']}:{h['port'] or 5432}" for h in hosts)
        query = f"&{database_url.query}" if database_url.query else ""
        return f"postgresql+psycopg://{credentials}@{database_url.path}?{seats}{query}"
    url = str(database_url)
    for prefix in ("postgresql://", "postgres://"):  # a URL naming its driver already is given as it is
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# What production refuses (the other profiles take anything that is valid)
PRODUCTION_SECRET_CHARACTERS = {"platform_admin_key": 32, "token_secret": 48}
PRODUCTION_HASH_ITERATIONS = 600_000
EXTERNAL_SERVICES = ("payment_processor_url", "model_url")  # called over the internet: encrypted, never a double


def production_problems(settings: Settings) -> list[str]:
    """Each setting production refuses, as ``NAME (why)``: none outside production. The secrets are never
    repeated, only their length rule."""
    if settings.platform_profile != "production":
        return []
    problems = []
    for name in EXTERNAL_SERVICES:
        url = urlsplit(str(getattr(settings, name)))
        if (url.hostname or "") in LOOPBACK or (url.hostname or "").startswith("127."):
            problems.append(f"{name.upper()} (a test double's address on this machine)")
        elif url.scheme != "https":
            problems.append(f"{name.upper()} (plain text: production calls it over https)")
    for name, least in PRODUCTION_SECRET_CHARACTERS.items():
        if len(getattr(settings, name)) < least:
            problems.append(f"{name.upper()} (production needs at least {least} characters)")
    if settings.previous_token_secrets and min(map(len, settings.previous_token_secrets)) < 48:
        problems.append("TOKEN_PREVIOUS_SECRETS (production needs at least 48 characters each)")
    if settings.clock_settable:
        problems.append("CLOCK_SETTABLE (a test setting: production's clocks run with the real time)")
    if settings.password_hash_iterations < PRODUCTION_HASH_ITERATIONS:
        problems.append(
            f"PASSWORD_HASH_ITERATIONS (a test setting: production hashes {PRODUCTION_HASH_ITERATIONS:,} times)"
        )
    return problems


LOOPBACK = ("localhost", "::1", "0.0.0.0")
