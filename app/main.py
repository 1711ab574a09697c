"""The platform's FastAPI application.

Settings are read and checked when the app starts; a missing or invalid one
stops the process with exit code 2 and a message naming it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import astuple

import anyio
from fastapi import FastAPI
from pydantic import ValidationError

from app.adapters import model_client
from app.adapters.expired_records import forget_expired
from app.adapters.unit_of_work import DATABASE_AWAY
from app.bootstrap import bootstrap
from app.config import Settings, production_problems
from app.domain.clock import utc_now
from app.entrypoints.http import (
    routes_analytics,
    routes_approvals,
    routes_assistant,
    routes_billing,
    routes_customer_care,
    routes_health,
    routes_reports,
    routes_sales,
    routes_settings,
    routes_tenancy,
)
from app.entrypoints.http.errors import ERROR_RESPONSES, install_error_handlers
from app.entrypoints.http.head_requests import HeadAnsweredAsGet
from app.entrypoints.http.json_bodies import RequestBodyRules
from app.entrypoints.http.routes_health import dependency_states
from app.entrypoints.http.security_headers import HandshakeRefusalIsNoFailure, SecurityHeaders
from app.entrypoints.tokens_out_of_logs import keep_tokens_out_of_server_logs
from app.entrypoints.ws import assistant as assistant_socket
from app.hot_settings import SettingsRefused, reload_quietly, settings_with_file, use_log_level
from app.service_layer import analytics

API_PREFIX = "/api/v1"
MAX_BODY_BYTES = 1_048_576  # larger bodies answer 413 before they are read in full
MAX_HEADER_BYTES = 16_384  # larger request headers (all together) answer 431


def load_settings() -> Settings:
    try:
        settings = settings_with_file()
    except ValidationError as exc:
        names = ", ".join(f"{'.'.join(str(p) for p in e['loc']).upper()} ({e['msg']})" for e in exc.errors())
        print(f"platform: invalid configuration: {names}", file=sys.stderr)
        raise SystemExit(2) from None
    except SettingsRefused as misread:  # the settings file says what no setting is
        print(f"platform: invalid configuration in PLATFORM_SETTINGS_FILE: {misread}", file=sys.stderr)
        raise SystemExit(2) from None
    refused = production_problems(settings)
    if refused:
        print(f"platform: invalid configuration for production: {', '.join(refused)}", file=sys.stderr)
        raise SystemExit(2)
    return settings


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    try:
        settings = load_settings()
    except SystemExit as refused:  # before anything is served; uvicorn would add a traceback and exit 3
        sys.stderr.flush()
        os._exit(refused.code if isinstance(refused.code, int) else 2)
    use_log_level(settings.log_level)
    platform = bootstrap(settings)
    app.state.platform = platform
    await platform.astart()
    model_client.load_in_background()
    sender = asyncio.create_task(send_mail_forever(platform)) if platform.mail else None
    ingester = asyncio.create_task(ingest_forever(platform)) if platform.analytics else None
    roll_call = asyncio.create_task(name_the_silent_after_start(platform))
    forgetter = asyncio.create_task(forget_expired_forever(platform))
    if settings.platform_settings_file:
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, reload_quietly, platform, "SIGHUP")
    platform.fanout.on_settings_reload = lambda _: reload_quietly(platform, "an operator's call to another instance")
    # a reload asked for while this instance could not hear the others (Redis away) is taken when it hears again
    platform.fanout.on_heard_again = lambda: reload_quietly(platform, "hearing the other instances again")
    try:
        yield
    finally:
        for task in (sender, ingester, roll_call, forgetter):
            if task is not None:
                task.cancel()
        await platform.aclose()
        platform.close()


async def name_the_silent_after_start(platform) -> None:
    """Once the start-up time-out has passed, each dependency that does not answer is named in the log (the
    instance serves meanwhile and is ready once they answer); nothing is logged when every one answers."""
    timeout = platform.settings.startup_timeout_seconds
    await asyncio.sleep(timeout)
    states, _ = await anyio.to_thread.run_sync(dependency_states, platform)
    silent = sorted(name for name, state in states.items() if state == "down")
    if silent:
        logging.getLogger("app.startup").warning(
            "platform: no answer within the start-up time-out (%s s) from: %s", f"{timeout:g}", ", ".join(silent)
        )


MAIL_LOOK_SECONDS = 30.0  # the longest an idle sender waits: mail an instance queued and could not send itself
MAIL_BUSY_SECONDS = 1.0  # the wait when mail is due that another instance is sending, or the database is away


async def send_mail_forever(platform) -> None:
    """Drains the outbox: while there is mail to send, at once when this instance queues some, when the next
    retry comes due, and otherwise every ``MAIL_LOOK_SECONDS`` (mail another instance queued and could not send
    before it stopped)."""
    log = logging.getLogger("app.outbox")
    while True:
        wait = MAIL_BUSY_SECONDS
        try:
            if await anyio.to_thread.run_sync(platform.mail.send_due):
                continue
            due_in = await anyio.to_thread.run_sync(platform.mail.seconds_until_due)
            if due_in is None:
                wait = MAIL_LOOK_SECONDS
            elif due_in > 0:
                wait = min(due_in, MAIL_LOOK_SECONDS)
        except DATABASE_AWAY as exc:  # the outbox keeps everything until it is back
            log.warning("outbox sender waiting for the database: %s", exc)
        except Exception:  # unforeseen: said as an error, and tried again
            log.exception("outbox sender failed; retrying")
        await platform.wakes.mail.wait(timeout=wait)


async def forget_expired_forever(platform) -> None:
    """Forgets the expired idempotency keys and revocations every ``FORGET_EXPIRED_EVERY_SECONDS`` (a minute;
    ``app.adapters.expired_records``): both were kept for good, a row for every payment and every sign-out."""
    log = logging.getLogger("app.expired")
    while True:
        try:
            forgotten = await anyio.to_thread.run_sync(forget_expired, platform.engine, utc_now())
            if forgotten.idempotency_keys or forgotten.revocations:
                log.info("forgot %d expired idempotency keys and %d revocations", *astuple(forgotten))
        except DATABASE_AWAY as exc:
            log.warning("forgetting expired keys waits for the database: %s", exc)
        except Exception:  # unforeseen: said as an error, and tried again at the next round
            log.exception("forgetting expired keys failed")
        await asyncio.sleep(platform.settings.forget_expired_every_seconds)


INGESTER_LEASE = "platform:analytics:ingester"  # one instance copies events at a time; another takes over within 5 s
# a copy of fewer events than this waits 200 ms before the next: while events trickle in (a burst of questions
# records a few each), they are copied in blocks rather than a block each, every one a part the store must make
INGEST_AT_ONCE_FROM = 200
TRICKLE_PAUSE_SECONDS = 0.2
# with nothing to copy, the ingester waits until events are recorded (on any instance) or this long at most: a
# change made without the platform (a restore) or a notice lost with Redis is copied within it
INGEST_IDLE_SECONDS = 2.0
# the instance not copying checks the lease this often (it takes over within a second of the lease lapsing)
LEASE_LOOK_SECONDS = 1.0


async def ingest_forever(platform) -> None:
    """Copies the business events into the analytics store, while this instance holds the ingester's lease:
    batch after batch while there are many events, every 200 ms while they trickle in, and when idle as soon as
    events are recorded (here, or on an instance that tells it: ``tell_the_copier``). With the store or the
    database away the events wait in the audit trail (the assistant's use in its own table), and the copy resumes
    from where the store stands."""
    log = logging.getLogger("app.analytics")
    me, up_to = uuid.uuid4().hex, None
    platform.fanout.on_analytics_waiting = platform.wakes.analytics.ring
    while True:
        try:
            held = await anyio.to_thread.run_sync(_hold_lease, platform.redis, me)
            if not held:
                up_to = None  # another instance copies: where the store stands is read afresh once this one does
                await tell_the_copier(platform)
                continue
            if up_to is None:
                await anyio.to_thread.run_sync(platform.analytics.migrate)
                up_to = await anyio.to_thread.run_sync(analytics.stored_up_to, platform.analytics)
            await anyio.to_thread.run_sync(analytics.recopy_companies, platform.engine, platform.analytics, up_to)
            copied = await anyio.to_thread.run_sync(analytics.ingest_batch, platform.engine, platform.analytics, up_to)
            copied += await anyio.to_thread.run_sync(
                analytics.ingest_assistant_use, platform.engine, platform.analytics
            )
        except Exception as exc:  # the store, the database or Redis away: nothing is lost, the trail keeps it
            log.warning("analytics ingester waiting: %s", exc)
            up_to = None
            await asyncio.sleep(1.0)
            continue
        if copied == 0:
            await platform.wakes.analytics.wait(timeout=INGEST_IDLE_SECONDS)
        elif copied < INGEST_AT_ONCE_FROM:
            await asyncio.sleep(TRICKLE_PAUSE_SECONDS)


async def tell_the_copier(platform) -> None:
    """On an instance not copying: waits up to a second for events recorded here, and tells the instance that
    copies (at most five times a second, however many are recorded)."""
    if await platform.wakes.analytics.wait(timeout=LEASE_LOOK_SECONDS):
        await platform.fanout.tell_analytics_waiting()
        await asyncio.sleep(TRICKLE_PAUSE_SECONDS)


# KEYS: the lease. ARGV: this instance, the lease's milliseconds. Takes a free lease or renews this instance's own,
# in one step (renewed apart, a lease that lapsed in between and was taken by another would be renewed for it).
TAKE_OR_RENEW = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
"""
INGESTER_LEASE_MS = 5000


def _hold_lease(client, me: str) -> bool:
    """Takes or renews the ingester's lease for 5 s; whether this instance holds it."""
    return bool(client.register_script(TAKE_OR_RENEW)(keys=[INGESTER_LEASE], args=[me, INGESTER_LEASE_MS]))


def create_app() -> FastAPI:
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("uvicorn.error").addFilter(HandshakeRefusalIsNoFailure())
    keep_tokens_out_of_server_logs()
    # an address with a slash too many is not found: Starlette's redirect to the address without it named the host
    # the request claimed (Host) and plain http, so a write and its body were sent on to wherever the caller said
    app = FastAPI(title="Business platform", version="1.0.0", lifespan=lifespan, redirect_slashes=False)
    install_error_handlers(app)
    app.add_middleware(HeadAnsweredAsGet)
    app.add_middleware(RequestBodyRules, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders, max_header_bytes=MAX_HEADER_BYTES, private_prefix=API_PREFIX)
    app.include_router(routes_health.router)
    for router in (
        routes_tenancy.router,
        routes_sales.router,
        routes_billing.router,
        routes_reports.router,
        routes_assistant.router,
        routes_approvals.router,
        routes_customer_care.router,
        routes_analytics.router,
        routes_settings.router,
    ):
        app.include_router(router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(assistant_socket.router)
    return app


app = create_app()
