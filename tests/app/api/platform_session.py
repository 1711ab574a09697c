"""A tenant with signed-in users, made through the public API, for the API contract tests."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from support.clients.platform_api import PlatformApi


@dataclass
class TenantSession:
    slug: str
    owner: PlatformApi
    users: dict[str, PlatformApi]

    @classmethod
    def create(cls, stack, roles=("sales", "finance")) -> TenantSession:
        base = stack.env["PLATFORM_URL"]
        slug = f"api-{secrets.token_hex(4)}"
        admin = PlatformApi(base, admin_key=stack.env["PLATFORM_ADMIN_KEY"])
        admin.post(
            "/admin/tenants",
            {
                "name": slug,
                "slug": slug,
                "owner": {"email": f"owner@{slug}.example.com", "name": "Owner", "password": "owner-password"},
            },
        ).expect_ok("tenant")
        owner = cls._sign_in(base, slug, "owner", "owner-password")
        users = {}
        for role in roles:
            owner.post(
                "/users",
                {
                    "email": f"{role}@{slug}.example.com",
                    "name": role.title(),
                    "role": role,
                    "password": f"{role}-password",
                },
            ).expect_ok(f"add {role}")
            users[role] = cls._sign_in(base, slug, role, f"{role}-password")
        return cls(slug, owner, users)

    @staticmethod
    def _sign_in(base: str, slug: str, who: str, password: str) -> PlatformApi:
        token = (
            PlatformApi(base)
            .post("/auth/token", {"tenant": slug, "email": f"{who}@{slug}.example.com", "password": password})
            .expect_ok("sign in")
        )
        return PlatformApi(base, token=token["access_token"])

    def issued_invoice(self, amount: str = "1000.00", rate: str = "21") -> dict:
        sales = self.users["sales"]
        lead = sales.post(
            "/leads", {"company": "Client", "contact_name": "Buyer", "estimated_value": amount}
        ).expect_ok("lead")
        sales.post(f"/leads/{lead['id']}/qualify").expect_ok("qualify")
        deal = sales.post(f"/leads/{lead['id']}/convert", {}).expect_ok("convert")
        won = sales.post(f"/opportunities/{deal['id']}/win").expect_ok("win")
        finance = self.users["finance"]
        invoice = finance.post(
            "/invoices",
            {
                "project_id": won["project_id"],
                "lines": [{"description": "Work", "quantity": "1", "unit_price": amount, "tax_rate": rate}],
            },
        ).expect_ok("draft")
        return finance.post(f"/invoices/{invoice['id']}/issue").expect_ok("issue")
