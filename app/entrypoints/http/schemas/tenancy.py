"""Companies, their people, and signing in."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from pydantic import (
    Field,
    StringConstraints,
)

from app.domain.roles import Role
from app.entrypoints.http.schemas.common import (
    Checked,
    EmailAddress,
    Name,
    Out,
    Password,
    Rate,
    Strict,
)


class OwnerIn(Strict):
    email: EmailAddress
    name: Name
    password: Password


class UserIn(Strict):
    email: EmailAddress
    name: Name
    role: Role
    password: Password
    commission_rate: Rate | None = None


class UserOut(Out):
    id: uuid.UUID
    email: str
    name: str
    role: Role
    commission_rate: Decimal


class TenantIn(Strict):
    name: Name
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    owner: OwnerIn
    people: Annotated[list[UserIn], Field(default_factory=list, max_length=200)]  # its first people besides the owner


class TenantOut(Out):
    id: uuid.UUID
    name: str
    slug: str
    owner_id: uuid.UUID
    people: list[UserOut]  # the owner first, then the people created with the company


class RoleIn(Strict):
    role: Role


class SignInIn(Strict):
    tenant: Annotated[str, StringConstraints(min_length=1, max_length=63, pattern=r"^[a-z0-9-]+$")]
    email: EmailAddress
    password: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00]+$"), Checked]


class TokenOut(Out):
    access_token: str
    token_type: str
    expires_in: int
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    role: Role
