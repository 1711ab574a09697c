"""The platform's FastAPI application.

Settings are read and checked when the app starts; a missing or invalid one
stops the process with exit code 2 and a message naming it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from pydantic import ValidationError

from app.adapters import model_client
from app.bootstrap import bootstrap
from app.config import Settings
from app.entrypoints.http import (
    routes_approvals,
    routes_assistant,
    routes_billing,
    routes_customer_care,
    routes_health,
    routes_reports,
    routes_sales,
    routes_tenancy,
)
from app.entrypoints.http.errors import ERROR_RESPONSES, install_error_handlers
from app.entrypoints.http.json_bodies import RequestBodyRules
from app.entrypoints.http.security_headers import SecurityHeaders
from app.entrypoints.ws import assistant as assistant_socket

API_PREFIX = "/api/v1"
MAX_BODY_BYTES = 1_048_576  # larger bodies answer 413 before they are read in full
MAX_HEADER_BYTES = 16_384  # larger request headers (all together) answer 431


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        names = ", ".join(f"{'.'.join(str(p) for p in e['loc']).upper()} ({e['msg']})" for e in exc.errors())
        print(f"platform: invalid configuration: {names}", file=sys.stderr)
        raise SystemExit(2) from None


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    try:
        settings = load_settings()
    except SystemExit as refused:  # before anything is served; uvicorn would add a traceback and exit 3
        sys.stderr.flush()
        os._exit(refused.code if isinstance(refused.code, int) else 2)
    platform = bootstrap(settings)
    app.state.platform = platform
    await platform.astart()
    model_client.load_in_background()
    sender = asyncio.create_task(send_mail_forever(platform)) if platform.mail else None
    try:
        yield
    finally:
        if sender is not None:
            sender.cancel()
        await platform.aclose()
        platform.close()


async def send_mail_forever(platform) -> None:
    """Drains the outbox: while there is mail to send, at once when this instance queues some, and every
    second otherwise (mail queued by another instance, retries coming due)."""
    log = logging.getLogger("app.outbox")
    while True:
        try:
            sent = await anyio.to_thread.run_sync(platform.mail.send_due)
        except Exception:  # the database may be away; the outbox keeps everything until it is back
            log.exception("outbox sender failed; retrying")
            sent = 0
        if not sent:
            await platform.mail_wake.wait(timeout=1.0)


def create_app() -> FastAPI:
    logging.basicConfig(level=logging.INFO)
    app = FastAPI(title="Business platform", version="1.0.0", lifespan=lifespan)
    install_error_handlers(app)
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
    ):
        app.include_router(router, prefix=API_PREFIX, responses=ERROR_RESPONSES)
    app.include_router(assistant_socket.router)
    return app


app = create_app()
