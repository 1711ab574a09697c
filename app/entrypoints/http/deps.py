"""Dependencies the routes ask for, as ``Annotated`` aliases."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.adapters.unit_of_work import UnitOfWorkFactory
from app.bootstrap import Platform
from app.domain.errors import Forbidden, Unauthenticated
from app.domain.roles import Permission
from app.service_layer import tenancy
from app.service_layer.principal import Principal

_bearer = HTTPBearer(auto_error=False, description="Access token from the sign-in endpoint.")


def get_platform(request: Request) -> Platform:
    return request.app.state.platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


def get_uow(platform: PlatformDep) -> UnitOfWorkFactory:
    return platform.uow


UowDep = Annotated[UnitOfWorkFactory, Depends(get_uow)]


def get_principal(
    platform: PlatformDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None:
        raise Unauthenticated("an access token is required")
    return tenancy.authenticate(platform.uow, platform.tokens, credentials.credentials)


CurrentUser = Annotated[Principal, Depends(get_principal)]


def require_admin_key(
    platform: PlatformDep, x_admin_key: Annotated[str | None, Header(description="The platform operator's key.")] = None
) -> None:
    if x_admin_key is None:
        raise Unauthenticated("the platform admin key is required")
    if not hmac.compare_digest(x_admin_key, platform.settings.platform_admin_key):
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


def bearer_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str:
    if credentials is None:
        raise Unauthenticated("an access token is required")
    return credentials.credentials


BearerToken = Annotated[str, Depends(bearer_token)]
