"""The platform's FastAPI application.

Settings are read and checked when the app starts; a missing or invalid one
stops the process with exit code 2 and a message naming it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from pydantic import ValidationError

from app.bootstrap import bootstrap
from app.config import Settings
from app.entrypoints.http import routes_billing, routes_health, routes_sales, routes_tenancy
from app.entrypoints.http.errors import install_error_handlers

API_PREFIX = "/api/v1"


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        names = ", ".join(f"{'.'.join(str(p) for p in e['loc']).upper()} ({e['msg']})" for e in exc.errors())
        print(f"platform: invalid configuration: {names}", file=sys.stderr)
        raise SystemExit(2) from None


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    platform = bootstrap(load_settings())
    app.state.platform = platform
    try:
        yield
    finally:
        platform.close()


def create_app() -> FastAPI:
    logging.basicConfig(level=logging.INFO)
    app = FastAPI(title="Business platform", version="1.0.0", lifespan=lifespan)
    install_error_handlers(app)
    app.include_router(routes_health.router)
    for router in (routes_tenancy.router, routes_sales.router, routes_billing.router):
        app.include_router(router, prefix=API_PREFIX)
    return app


app = create_app()
