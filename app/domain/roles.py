"""Who may do what: the one role table of the platform."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    SALES = "sales"
    FINANCE = "finance"
    COMPLIANCE = "compliance"
    ANALYST = "analyst"


class Permission(StrEnum):
    MANAGE_USERS = "users:manage"
    READ_USERS = "users:read"
    WRITE_SALES = "sales:write"
    READ_SALES = "sales:read"
    READ_PROJECTS = "projects:read"
    WRITE_BILLING = "billing:write"
    READ_BILLING = "billing:read"
    TAKE_PAYMENTS = "payments:write"
    READ_COMMISSIONS = "commissions:read"
    READ_AUDIT = "audit:read"
    READ_REPORTS = "reports:read"
    DECIDE_APPROVALS = "approvals:decide"
    READ_ANALYTICS = "analytics:read"


_READ_ALL = {
    Permission.READ_REPORTS,
    Permission.READ_USERS,
    Permission.READ_SALES,
    Permission.READ_PROJECTS,
    Permission.READ_BILLING,
    Permission.READ_COMMISSIONS,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.SALES: frozenset(
        {
            Permission.WRITE_SALES,
            Permission.READ_SALES,
            Permission.READ_PROJECTS,
            Permission.READ_COMMISSIONS,
            Permission.READ_USERS,
            Permission.READ_REPORTS,
        }
    ),
    Role.FINANCE: frozenset(
        {
            Permission.WRITE_BILLING,
            Permission.READ_BILLING,
            Permission.TAKE_PAYMENTS,
            Permission.READ_PROJECTS,
            Permission.READ_SALES,
            Permission.READ_COMMISSIONS,
            Permission.READ_USERS,
            Permission.READ_REPORTS,
            Permission.READ_ANALYTICS,
        }
    ),
    Role.COMPLIANCE: frozenset(_READ_ALL | {Permission.READ_AUDIT, Permission.DECIDE_APPROVALS}),
    Role.ANALYST: frozenset(_READ_ALL | {Permission.READ_ANALYTICS}),
}


def role_allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
