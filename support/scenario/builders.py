"""Unique test data, so no two scenarios (or runs) ever share a record."""

from __future__ import annotations

import re
import secrets
import uuid


def unique_ref(prefix: str) -> str:
    """ "tenant" -> "tenant-1a2b3c4d"."""
    return f"{prefix}-{secrets.token_hex(4)}"


def tenant_slug_for(scenario_name: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", scenario_name.lower()).strip("-")[:40].strip("-") or "scenario"
    return unique_ref(words)


def company_domain(tenant_slug: str) -> str:
    """The domain of the scenario's tenant: its people's addresses are at it, its clients' under it."""
    return f"{tenant_slug}.example.com"


def is_under(address: str, domain: str) -> bool:
    """Whether ``address`` is at ``domain`` or under it (a.b.example.com is under b.example.com)."""
    host = address.rpartition("@")[2].lower()
    return host == domain.lower() or host.endswith("." + domain.lower())


def email_for(persona: str, tenant_slug: str) -> str:
    return f"{persona.lower()}@{company_domain(tenant_slug)}"


def password() -> str:
    return secrets.token_urlsafe(16)


def idempotency_key() -> str:
    return f"pay-{uuid.uuid4()}"


def invoice_line(
    *, description: str = "Delivery", quantity: str = "1", unit_price: str, tax_rate: str
) -> dict[str, str]:
    return {"description": description, "quantity": quantity, "unit_price": unit_price, "tax_rate": tax_rate}


def client_email(company: str, tenant_slug: str, *, reachable: bool = True) -> str:
    """ "Globex" of tenant t-1a2b -> "accounts@globex.t-1a2b.example.com": unique to the scenario's tenant,
    so scenarios running at the same time never read each other's mail. Not ``reachable``: at a domain reserved
    never to exist ("….invalid", RFC 2606), whose mailbox the mail server refuses for good."""
    local = re.sub(r"[^a-z0-9]+", "-", company.lower())[:40].strip("-") or "client"  # a domain label: 63 at most
    return f"accounts@{local}.{company_domain(tenant_slug) if reachable else f'{tenant_slug}.invalid'}"
