"""The one place that maps errors to HTTP answers.

Every error body is ``{"error": {"code", "message", "field"}}``; a bad field is
named by its dotted path (``lines.0.unit_price``). Nothing answers a bare 500.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.adapters.metrics import COUNTERS
from app.adapters.unit_of_work import clashed_with_other_work, work_clashed
from app.domain import errors as domain

log = logging.getLogger("app.errors")
# What the server itself refuses (no route, no such method, a body too large): the error's code, and the part
# of the request named as what was wrong
REFUSED_BY_THE_SERVER: dict[int, tuple[str, str | None]] = {
    404: ("not_found", None),
    405: ("method_not_allowed", None),
    413: ("payload_too_large", "body"),
}

STATUS_BY_ERROR: list[tuple[type[domain.DomainError], int]] = [
    (domain.NotFound, 404),
    (domain.Unauthenticated, 401),
    (domain.Forbidden, 403),
    (domain.InvalidTransition, 409),
    (domain.Conflict, 409),
    (domain.RuleViolation, 422),
    (domain.PaymentDeclined, 402),
    (domain.DependencyUnavailable, 503),
    (domain.DependencyRefused, 502),
    (domain.TooManyAttempts, 429),
]


def _documented(description: str) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "field": {"type": ["string", "null"]},
                                "fields": {  # a request refused as invalid (422): every field that was wrong
                                    "type": ["array", "null"],
                                    "items": {
                                        "type": "object",
                                        "required": ["field", "message"],
                                        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                                    },
                                },
                            },
                        }
                    },
                }
            }
        },
    }


ERROR_RESPONSES: dict[int | str, dict] = {
    401: _documented("No valid access token."),
    403: _documented("The caller's role lacks the permission."),
    404: _documented("No such record in the caller's tenant."),
    409: _documented("The record's state does not allow this, or the request clashes with another."),
    413: _documented("The request body is too large."),
    415: _documented("The request body is not JSON."),
    422: _documented("A field is invalid or a business rule is broken; `field` names it."),
    431: _documented("The request's headers are larger than the platform takes; `field` is `headers`."),
    502: _documented("A dependency refused the request itself; sending it again would not help."),
    503: _documented("A dependency is unavailable; retry after the Retry-After delay."),
}


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method the OpenAPI document lists for the path template ``path`` matches, and HEAD with GET."""
    methods: set[str] = set()
    for template, operations in app.openapi()["paths"].items():
        if re.fullmatch(re.sub(r"{[^/]+}", "[^/]+", template), path):
            methods.update(m.upper() for m in operations)
    if "GET" in methods:
        methods.add("HEAD")  # answered as its GET (``head_requests``)
    return sorted(methods)


def error_body(code: str, message: str, field: str | None = None) -> dict:
    return {"error": {"code": code, "message": message, "field": field}}


def status_for(error: domain.DomainError) -> int:
    for error_type, status in STATUS_BY_ERROR:
        if isinstance(error, error_type):
            return status
    return 400


def _field_path(location: tuple) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(location[0] if location else "body")


async def _record_denial(request: Request, denied: domain.PermissionDenied) -> None:
    """The refusal in the company's security trail; a failure to write it is logged, never the answer."""
    from app.service_layer import tenancy

    route = request.scope.get("route")
    operation = f"{request.method} {getattr(route, 'path', request.url.path)}"
    try:
        await run_in_threadpool(
            tenancy.record_access_denied,
            request.app.state.platform.uow,
            company_id=denied.company_id,
            user_id=denied.user_id,
            permission=denied.permission,
            operation=operation,
        )
    except Exception as exc:  # the person is still told they were refused
        log.warning("could not write the access_denied security event: %s", exc)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(domain.DomainError)
    async def on_domain_error(request: Request, exc: domain.DomainError) -> JSONResponse:
        if isinstance(exc, domain.PermissionDenied):
            await _record_denial(request, exc)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, domain.Unauthenticated) else None
        if isinstance(exc, domain.DependencyUnavailable | domain.TooManyAttempts):
            headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse(error_body(exc.code, exc.message, exc.field), status_code=status_for(exc), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def on_invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{**p, "loc": ("body",)} if p.get("type") == "json_invalid" else p for p in exc.errors()]
        first = problems[0] if problems else {"loc": ("body",), "msg": "invalid request"}
        field = _field_path(tuple(first.get("loc", ())))
        body = error_body("validation_error", f"{field}: {first.get('msg')}", field)
        body["error"]["fields"] = [
            {"field": _field_path(tuple(p.get("loc", ()))), "message": p.get("msg")} for p in problems
        ]
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # a body that is not JSON at all: a bad field like any other
            return JSONResponse(error_body("validation_error", f"body: {exc.detail}", "body"), status_code=422)
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request.app, request.url.path))
        code, field = REFUSED_BY_THE_SERVER.get(exc.status_code, ("http_error", None))
        return JSONResponse(error_body(code, str(exc.detail), field), status_code=exc.status_code, headers=headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def on_database_down(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, OperationalError) and clashed_with_other_work(exc):
            return await on_domain_error(request, work_clashed())
        log.warning("database unavailable: %s", exc)
        return JSONResponse(
            error_body("database_unavailable", "the database is unavailable; try again shortly"),
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(IntegrityError)
    async def on_refused_by_database(_: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("the database refused a write: %s", exc)
        return JSONResponse(
            error_body("conflict", "the change clashes with stored data; nothing was saved"), status_code=409
        )

    @app.exception_handler(PoolTimeout)
    async def on_every_connection_busy(_: Request, exc: Exception) -> JSONResponse:
        log.warning("no free database connection: %s", exc)
        COUNTERS.add("platform_db_pool_timeouts_total", pool="blocking")
        return JSONResponse(
            error_body("platform_busy", "every database connection is busy; try again in a second"),
            status_code=503,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(Exception)
    async def on_unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return JSONResponse(error_body("internal_error", "unexpected error; it has been logged"), status_code=500)
