"""Defects in what protects the platform at its edges: sign-in, headers, limits, socket messages."""

from __future__ import annotations

from typing import Any

from app.adapters import company_backup
from app.adapters.sign_in_throttle import SignInThrottle
from app.domain import invoicing
from app.entrypoints.http import security_headers
from app.entrypoints.ws import assistant as assistant_socket
from app.service_layer import tenancy
from support.defects.planting import replace


def sign_in_never_throttled() -> None:
    """Sign-ins are never refused, however many have failed: guessing passwords costs nothing."""
    replace(SignInThrottle, "admit", lambda self, company_slug, email, source: 0)


def nosniff_header_dropped() -> None:
    """Answers no longer say ``X-Content-Type-Options: nosniff``."""
    replace(security_headers, "ALWAYS", tuple(h for h in security_headers.ALWAYS if h[0] != b"x-content-type-options"))


def invoice_amounts_unbounded() -> None:
    """An invoice's lines and total are not checked against the largest amount kept: the database overflows (500)."""
    replace(invoicing, "storable", lambda amount: True)


def socket_frames_trusted() -> None:
    """The assistant's socket reads every frame as JSON text: a binary frame crashes the connection handler."""
    import json

    def message_of(frame: Any) -> Any:
        return json.loads(frame["text"])

    replace(assistant_socket, "_message_of", message_of)


def failed_sign_in_not_audited() -> None:
    """A wrong password for a real account leaves no entry in the company's audit trail."""
    original = tenancy._security_event

    def security_event(uow: Any, user: Any, action: str, source: str) -> None:
        if action != "sign_in_failed":
            original(uow, user, action, source)

    replace(tenancy, "_security_event", security_event)


def payments_not_counted() -> None:
    """Card payments are never counted on /metrics: an operator sees no payments at all."""
    from app.adapters.metrics import Counters

    original = Counters.add

    def add(self: Any, name: str, amount: int = 1, **labels: str) -> None:
        if name != "platform_payments_total":
            original(self, name, amount, **labels)

    replace(Counters, "add", add)


def start_up_needs_the_database() -> None:
    """An instance checks the database once as it starts and dies when it is away, instead of waiting for it."""
    from sqlalchemy import text

    from app import main

    original = main.bootstrap

    def bootstrap(settings: Any) -> Any:
        platform = original(settings)
        with platform.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return platform

    replace(main, "bootstrap", bootstrap)


def shutdown_drops_running_questions() -> None:
    """Told to stop, an instance exits at once: the questions it is answering die with it (instance_lost)."""
    from app.service_layer.agent_runtime import AgentRuntime

    original = AgentRuntime.close

    async def close(self: Any, grace_seconds: float = 0.0) -> int:
        return await original(self, 0.0)

    replace(AgentRuntime, "close", close)


def access_denied_not_audited() -> None:
    """A refused operation is answered 403 but leaves nothing in the company's security trail."""
    from app.entrypoints.http import errors

    async def record_denial(request: Any, denied: Any) -> None:
        return None

    replace(errors, "_record_denial", record_denial)


def access_denied_audited_as_another_right() -> None:
    """A refused operation is audited, but always as wanting the right to read users: the trail says what
    was tried by whom, not which right was lacking."""
    original = tenancy.record_access_denied

    def record_access_denied(uow: Any, **kwargs: Any) -> None:
        original(uow, **{**kwargs, "permission": "users:read"})

    replace(tenancy, "record_access_denied", record_access_denied)


def own_role_change_allowed() -> None:
    """An owner may change their own role, and so leave the company without an owner."""
    import uuid as uuid_module

    original = tenancy.change_role

    def change_role(uow: Any, principal: Any, user_id: Any, role: Any) -> Any:
        if user_id == principal.user_id:  # the check sees another id, so it never refuses
            return original(
                uow, type(principal)(uuid_module.uuid4(), principal.company_id, principal.role), user_id, role
            )
        return original(uow, principal, user_id, role)

    replace(tenancy, "change_role", change_role)


def answers_kept_in_memory() -> None:
    """Every answer is also kept, parsed, in a list for debugging that nothing ever empties: memory grows with
    the work."""
    import json

    from starlette.responses import Response

    kept: list[Any] = []
    original = Response.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if getattr(self, "media_type", None) == "application/json" and self.body:
            kept.append((self.body, json.loads(self.body)))

    replace(Response, "__init__", init)


def company_removal_keeps_its_cache() -> None:
    """Removing a company leaves its cached reports, event logs and notifications in Redis."""
    replace(tenancy, "forget_company", lambda client, company_id: 0)


def settings_change_taken_in_part() -> None:
    """A change of settings that needs a restart is not refused: its part that may change while running is taken."""
    from app import hot_settings
    from app.config import Settings
    from app.hot_settings import HOT_SETTINGS, read_file

    def reloaded(running: Any) -> Any:
        given = read_file(running.platform_settings_file)
        return Settings(**{name: value for name, value in given.items() if name in HOT_SETTINGS}), ["TOKEN_SECRET"]

    replace(hot_settings, "reloaded", reloaded)


def backup_misses_the_newest_audit_entry() -> None:
    """A company's backup reads its audit trail one entry short (the newest left out): a restore looks whole."""
    original = replace(company_backup, "rows_of", None)

    def rows_of(conn: Any, company_id: Any) -> dict[str, list[dict[str, Any]]]:
        held = original(conn, company_id)
        held["audit_entries"] = sorted(held["audit_entries"], key=lambda row: row["seq"])[:-1]
        return held

    replace(company_backup, "rows_of", rows_of)


def database_reached_at_its_first_address_only() -> None:
    """The platform connects only to the first database address it is given: after a fail-over it waits on a
    primary that is gone instead of finding the promoted standby."""
    from app.config import Settings

    def first_address_only(self: Any) -> str:
        first = self.database_url.hosts()[0]
        return f"postgresql+psycopg://{first['username']}@{first['host']}:{first['port']}{self.database_url.path}"

    replace(Settings, "sqlalchemy_url", property(first_address_only))


def pool_waits_not_shown() -> None:
    """/metrics shows every database pool's connections but never a request waiting for one."""
    from app.adapters import counted_pools

    replace(counted_pools, "waiting", lambda pool: 0)


def processor_away_at_start_is_away_for_good() -> None:
    """An instance started while the payment processor is down takes it as gone for good: every payment is asked
    to come back later until the instance is restarted."""
    from app import main
    from app.domain.errors import DependencyUnavailable

    original = main.bootstrap

    def bootstrap(settings: Any) -> Any:
        platform = original(settings)
        if not platform.payments.ping():

            def charge(*_: Any, **__: Any) -> Any:
                raise DependencyUnavailable("payment_processor", "the payment processor is unavailable")

            async def acharge(*_: Any, **__: Any) -> Any:
                charge()

            platform.payments.charge = charge
            platform.payments.acharge = acharge
        return platform

    replace(main, "bootstrap", bootstrap)


def database_connections_wait_forever() -> None:
    """Opening a database connection has no time limit: a server that takes connections and never answers
    hangs every request that needs one, readiness too."""
    from app import bootstrap as boot

    original = boot.create_engine

    def create_engine(url: str, **options: Any) -> Any:
        options["connect_args"] = {k: v for k, v in options["connect_args"].items() if k != "connect_timeout"}
        return original(url, **options)

    replace(boot, "create_engine", create_engine)


def silent_dependencies_not_named() -> None:
    """Nothing is logged when a dependency has still not answered once the start-up time-out has passed."""
    from app import main

    async def name_nothing(platform: Any) -> None:
        return None

    replace(main, "name_the_silent_after_start", name_nothing)


def settings_reload_stays_on_one_instance() -> None:
    """The operator's settings reload is taken by the instance called and never passed on to the others."""
    from app.adapters.event_fanout import EventFanOut

    async def request_settings_reload(self: Any, notice: Any) -> int:
        return 0

    replace(EventFanOut, "request_settings_reload", request_settings_reload)


def look_up_limits_fixed_at_start() -> None:
    """The assistant's look-up limits are read once at start: a reload names them changed but never applies them."""
    from app.service_layer.agent_runtime import AgentRuntime

    replace(AgentRuntime, "limit_tool_calls", lambda self, **limits: None)
