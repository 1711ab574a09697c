"""Defects in who may see and do what, and in what is recorded about it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import jwt
from sqlalchemy import select, text

from app.adapters import audit_repository, credentials
from app.adapters.tables import invoices
from app.domain.errors import NotFound, Unauthenticated
from app.domain.roles import Permission
from app.service_layer import approval_requests, billing
from support.defects.planting import replace


def invoice_read_without_tenant_filter() -> None:
    """Reading one invoice by id looks it up in every tenant, not just the caller's (the query drops its
    company filter and runs as work across companies, so the database's company policy lets it through too)."""

    def get_invoice(uow: Any, principal: Any, invoice_id: uuid.UUID) -> dict[str, Any]:
        principal.require(Permission.READ_BILLING)
        with uow(company=principal.company_id) as u:
            u.conn.execute(text("SELECT set_config('app.company', 'all', true)"))
            row = u.conn.execute(select(invoices).where(invoices.c.id == invoice_id)).mappings().first()
            if row is None:
                raise NotFound("invoice not found")
            return billing._view(u, dict(row))

    replace(billing, "get_invoice", get_invoice)


def token_expiry_unchecked() -> None:
    """Access tokens are verified for their signature but not for their expiry."""

    def verify(self: credentials.TokenSigner, token: str) -> credentials.TokenClaims:
        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"], options={"verify_exp": False})
            return credentials.TokenClaims(
                uuid.UUID(claims["sub"]),
                uuid.UUID(claims["tid"]),
                str(claims["jti"]),
                datetime.fromtimestamp(claims["exp"], UTC),
            )
        except (jwt.PyJWTError, ValueError, KeyError) as exc:
            raise Unauthenticated(f"invalid access token: {exc}") from exc

    replace(credentials.TokenSigner, "verify", verify)


def approval_check_skipped() -> None:
    """A deal above the approval threshold can be invoiced before anyone approved it."""
    replace(approval_requests, "ensure_deal_approved", lambda u, deal_id: None)


def payment_not_audited() -> None:
    """A received payment leaves no entry in the audit trail."""
    original = audit_repository.AuditRepository.append

    def append(self: audit_repository.AuditRepository, *, action: str, **entry: Any) -> None:
        if action != "payment_received":
            original(self, action=action, **entry)

    replace(audit_repository.AuditRepository, "append", append)
