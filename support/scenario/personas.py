"""The named people of the specification, the role each has in their company, and the rights of each role."""

from __future__ import annotations

from functools import cache
from typing import Any

from behave.parser import parse_file

from support.report.layout import REPO_ROOT

PERSONAS: dict[str, str] = {
    "Olivia": "owner",
    "Sam": "sales",
    "Fiona": "finance",
    "Cleo": "compliance",
    "Ana": "analyst",
}

FINANCE_PERSONA = "Fiona"
SALES_PERSONA = "Sam"
OWNER_PERSONA = "Olivia"
COMPLIANCE_PERSONA = "Cleo"


def role_of(name: str) -> str:
    try:
        return PERSONAS[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a persona; known: {', '.join(PERSONAS)}") from None


RIGHTS = {  # each right as the product owner names it, and the permission an operation declares for it
    "manage users": "users:manage",
    "see users": "users:read",
    "sell": "sales:write",
    "see sales": "sales:read",
    "see projects": "projects:read",
    "bill": "billing:write",
    "see billing": "billing:read",
    "take payments": "payments:write",
    "see commissions": "commissions:read",
    "see the audit trail": "audit:read",
    "see reports": "reports:read",
    "decide approvals": "approvals:decide",
    "see analytics": "analytics:read",
}
ACCESS_FEATURE = REPO_ROOT / "features" / "tenancy" / "access.feature"
RIGHTS_STEP = "the rights of each role are:"


def rights_from_table(table: Any) -> dict[str, set[str]]:
    """{role: {permission}} from a table with a 'right' column and one yes/no column per role."""
    roles = [h for h in table.headings if h != "right"]
    rights: dict[str, set[str]] = {role: set() for role in roles}
    for row in table:
        if row["right"] not in RIGHTS:
            raise KeyError(f"unknown right {row['right']!r}; known: {', '.join(RIGHTS)}")
        for role in roles:
            if row[role].strip().lower() == "yes":
                rights[role].add(RIGHTS[row["right"]])
    return rights


@cache
def rights_of_roles() -> dict[str, set[str]]:
    """The rights of each role as ``features/tenancy/access.feature`` gives them, where the product owner reads the
    rule: the table of its step "the rights of each role are:".

    Raises:
        LookupError: the feature no longer has that step with its table.
    """
    feature = parse_file(str(ACCESS_FEATURE))
    for scenario in feature.walk_scenarios() if feature else []:
        for step in scenario.steps:
            if step.name == RIGHTS_STEP and step.table is not None:
                return rights_from_table(step.table)
    raise LookupError(f"{ACCESS_FEATURE} has no step {RIGHTS_STEP!r} with its table")
