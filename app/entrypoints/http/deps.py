"""Dependencies the routes ask for, as ``Annotated`` aliases.

Each is a coroutine: FastAPI runs a plain function dependency in a worker thread, a hop (and a wait for the
interpreter's lock) per dependency per request. The caller's session is checked on the event loop, over the
asynchronous pool: by the request's own work, first, where that work is one call of ``Platform.aio``
(``CallerDep``); else in one statement with no transaction (``CurrentUser``, as the assistant's socket checks it).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.adapters.credentials import TokenClaims
from app.adapters.unit_of_work import UnitOfWorkFactory
from app.bootstrap import Platform
from app.domain.errors import Forbidden, Unauthenticated
from app.domain.roles import Permission
from app.service_layer import tenancy
from app.service_layer.principal import Principal

_bearer = HTTPBearer(auto_error=False, description="Access token from the sign-in endpoint.")


async def get_platform(request: Request) -> Platform:
    return request.app.state.platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


async def get_uow(platform: PlatformDep) -> UnitOfWorkFactory:
    return platform.uow


UowDep = Annotated[UnitOfWorkFactory, Depends(get_uow)]


async def get_principal(
    platform: PlatformDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None:
        raise Unauthenticated("an access token is required")
    token = credentials.credentials
    return await platform.aio(lambda uow: tenancy.authenticate(uow, platform.tokens, token), autocommit=True)


CurrentUser = Annotated[Principal, Depends(get_principal)]

T = TypeVar("T")


# A route whose use case is database work (a read, or a write that hashes no password and does no long reckoning)
# runs it on the event loop: ``await caller.run(lambda uow, principal: ...)``, in one transaction with the check of
# the caller's session, or ``autocommit=True`` for a read that needs no common snapshot. A payment's call to the
# processor is awaited there too (``Platform.payments_on_loop``), over the payments' own pool
# (``Platform.payments_aio``). What the work leaves for after the commit (a live push, waking the mail sender) runs
# in a worker thread. The others (signing in and out, adding people, reports, analytics, the audit trail's
# verification, backups) run in worker threads (``UowDep``, ``PlatformDep``), where a blocking call holds up one
# request, not the instance; they ask for ``CurrentUser``, checked first in a statement of its own.


@dataclass(frozen=True, slots=True)
class Caller:
    """Whoever sent the request: a token whose signature and expiry were checked. Whether its session still
    holds, and the person's role as it is now, are read by the request's own work, in its unit of work: one
    connection and one round trip fewer than checking first, and a write is done with the rights read in its
    own transaction."""

    platform: Platform
    claims: TokenClaims

    async def run(self, work: Callable[[UnitOfWorkFactory, Principal], T], *, autocommit: bool = False) -> T:
        """``work(uow, principal)`` on the event loop (``Platform.aio``), the caller checked first."""
        claims = self.claims
        return await self.platform.aio(lambda uow: work(uow, tenancy.caller_of(uow, claims)), autocommit=autocommit)


async def get_caller(
    platform: PlatformDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    if credentials is None:
        raise Unauthenticated("an access token is required")
    return Caller(platform, platform.tokens.verify(credentials.credentials))


CallerDep = Annotated[Caller, Depends(get_caller)]


async def require_admin_key(
    platform: PlatformDep, x_admin_key: Annotated[str | None, Header(description="The platform operator's key.")] = None
) -> None:
    if x_admin_key is None:
        raise Unauthenticated("the platform admin key is required")
    # compared as bytes: compare_digest refuses strings with a character outside ASCII (it raised, a 500)
    if not hmac.compare_digest(x_admin_key.encode(), platform.settings.platform_admin_key.encode()):
        raise Forbidden("wrong platform admin key")


AdminKey = Depends(require_admin_key)

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Makes a retried payment charge once; kept 24 hours.",
    ),
]


def needs(permission: Permission) -> dict:
    """OpenAPI extension naming the permission an operation requires (the service layer enforces it)."""
    return {"x-required-permission": permission.value}


async def bearer_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str:
    if credentials is None:
        raise Unauthenticated("an access token is required")
    return credentials.credentials


BearerToken = Annotated[str, Depends(bearer_token)]
