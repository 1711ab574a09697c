"""Companies (the API's tenants), their people and sign-in."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from app.domain.records import PersonRecord
from app.domain.roles import Permission, Role
from app.entrypoints.http.deps import AdminKey, BearerToken, CallerDep, CurrentUser, PlatformDep, needs
from app.entrypoints.http.schemas.common import ErrorBody
from app.entrypoints.http.schemas.tenancy import (
    BackupIn,
    BackupOut,
    RestoredOut,
    RoleIn,
    SignInIn,
    TenantIn,
    TenantOut,
    TokenOut,
    UserIn,
    UserOut,
)
from app.service_layer import backups, tenancy

router = APIRouter(tags=["tenancy"])


@router.post("/admin/tenants", status_code=status.HTTP_201_CREATED, response_model=TenantOut, dependencies=[AdminKey])
def create_tenant(body: TenantIn, platform: PlatformDep) -> dict:
    """Create a tenant with its owner and, optionally, its first people (platform operators only)."""
    created = tenancy.create_company(
        platform.uow,
        name=body.name,
        slug=body.slug,
        owner=tenancy.Newcomer(
            email=body.owner.email, name=body.owner.name, role=Role.OWNER, password=body.owner.password
        ),
        people=[_newcomer(person) for person in body.people],
        hash_iterations=platform.settings.password_hash_iterations,
    )
    people = created["people"]
    return {**created["tenant"], "owner_id": people[0]["id"], "people": people}


def _newcomer(body: UserIn) -> tenancy.Newcomer:
    return tenancy.Newcomer(
        email=body.email, name=body.name, role=body.role, password=body.password, commission_rate=body.commission_rate
    )


@router.delete(
    "/admin/tenants/{tenant_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    dependencies=[AdminKey],
)
def remove_tenant(tenant_id: uuid.UUID, platform: PlatformDep) -> Response:
    """Remove a tenant and all its data: people, records, audit trail, settings, cache (platform operators only)."""
    tenancy.remove_company(platform.uow, platform.redis, tenant_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/admin/tenants/{tenant_id}/backup",
    response_model=BackupOut,
    dependencies=[AdminKey],
    responses={404: {"model": ErrorBody}},
)
def back_up_company(tenant_id: uuid.UUID, platform: PlatformDep) -> dict:
    """A company's backup: its own row and every row it holds, by table (platform operators only)."""
    return backups.back_up(platform.uow, tenant_id)


@router.post(
    "/admin/tenants/restore",
    status_code=status.HTTP_201_CREATED,
    response_model=RestoredOut,
    dependencies=[AdminKey],
    responses={409: {"model": ErrorBody}},
)
def restore_company(body: BackupIn, platform: PlatformDep) -> dict:
    """Restore a company from its backup, whole and with its audit trail, where no company of its id or name
    is (platform operators only); the restore is the next entry of its audit trail."""
    return backups.restore(platform.uow, body.model_dump(mode="json"))


@router.post(
    "/auth/token",
    response_model=TokenOut,
    responses={429: {"model": ErrorBody, "description": "Too many failed sign-ins lately; wait Retry-After seconds."}},
)
def sign_in(body: SignInIn, request: Request, platform: PlatformDep) -> dict:
    """Exchange a tenant user's email and password for an access token; repeated failures answer 429."""
    return tenancy.sign_in(
        platform.uow,
        platform.tokens,
        platform.sign_in_throttle,
        company_slug=body.tenant,
        email=body.email,
        password=body.password,
        source=request.client.host if request.client else "unknown",
        hash_iterations=platform.settings.password_hash_iterations,
    )


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def sign_out(token: BearerToken, platform: PlatformDep) -> Response:
    """End this session: the token is refused from now on."""
    tenancy.sign_out(platform.uow, platform.tokens, token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=UserOut)
async def me(caller: CallerDep) -> PersonRecord:
    """The signed-in user."""
    return await caller.run(lambda uow, principal: tenancy.current_user(uow, principal), autocommit=True)


@router.post(
    "/users", status_code=status.HTTP_201_CREATED, response_model=UserOut, openapi_extra=needs(Permission.MANAGE_USERS)
)
def add_user(body: UserIn, principal: CurrentUser, platform: PlatformDep) -> PersonRecord:
    """Add a user with a role to the caller's tenant (owner only)."""
    return tenancy.add_user(
        platform.uow, principal, _newcomer(body), hash_iterations=platform.settings.password_hash_iterations
    )


@router.patch("/users/{user_id}", response_model=UserOut, openapi_extra=needs(Permission.MANAGE_USERS))
async def change_role(user_id: uuid.UUID, body: RoleIn, caller: CallerDep) -> dict:
    """Give a person of the caller's company another role (owner only; not one's own); in the audit trail."""
    return await caller.run(lambda uow, principal: tenancy.change_role(uow, principal, user_id, body.role))


@router.get("/users", response_model=list[UserOut], openapi_extra=needs(Permission.READ_USERS))
async def list_users(caller: CallerDep) -> list[PersonRecord]:
    """The tenant's users, oldest first (in the order they joined)."""
    return await caller.run(lambda uow, principal: tenancy.list_users(uow, principal), autocommit=True)
