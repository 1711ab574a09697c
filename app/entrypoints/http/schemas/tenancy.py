"""Companies, their people, and signing in."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

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

# A company's slug, as it is created and as a backup restores it: 3 to 63 lowercase letters, digits and hyphens,
# neither first nor last a hyphen
CompanySlug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]


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
    created_at: datetime = Field(description="When the person joined the company.")


class TenantIn(Strict):
    name: Name
    slug: CompanySlug
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


class BackedUpCompany(Strict):
    """The company's own row as its backup holds it."""

    id: uuid.UUID
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    slug: CompanySlug
    audit_seq: Annotated[int, Field(ge=0)]
    audit_head: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    created_at: datetime


class BackupOut(Out):
    """A company's backup: its own row and every row it holds, by table, each value as JSON."""

    format: int
    taken_at: datetime
    rows: int
    company: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]


class BackupIn(Strict):
    """A company's backup as ``GET /admin/tenants/{id}/backup`` gave it."""

    format: Literal[1]
    taken_at: datetime | None = None
    rows: Annotated[int, Field(ge=0)] | None = None
    company: BackedUpCompany
    tables: dict[str, list[dict[str, Any]]]


class RestoredOut(Out):
    id: uuid.UUID
    slug: str
    rows: int
