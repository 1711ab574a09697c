"""The named people of the specification and the role each has in their company."""

from __future__ import annotations

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
