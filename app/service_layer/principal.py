"""Who is calling: the authenticated user, and the permission check every use case makes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app.domain.errors import PermissionDenied
from app.domain.roles import Permission, Role, role_allows


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: uuid.UUID
    company_id: uuid.UUID
    role: Role

    def may(self, permission: Permission) -> bool:
        return role_allows(self.role, permission)

    def require(self, permission: Permission) -> None:
        if not role_allows(self.role, permission):
            raise PermissionDenied(
                f"the {self.role} role may not do this (needs {permission})",
                company_id=self.company_id,
                user_id=self.user_id,
                permission=permission.value,
            )


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in person as an open connection holds them: the token, checked again before each piece of
    work (a sign-out, an expiry, a retired key or a removal ends it at once), and who it named when last
    checked (the role may have changed since: work reads it again)."""

    token: str
    principal: Principal
