"""One scenario's world (``context.world``): its own tenant, its actors, what they remember.

Created in ``before_scenario`` and discarded after it; nothing here outlives a
scenario, so scenarios run in any order and in parallel.

Attributes owned:
    tenant_slug / tenant_id: the tenant provisioned for this scenario alone.
    actors: personas signed in so far, by name (created on first mention).
    db, cache, processor: read-only inspectors shared by the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from support import builders
from support.actors import Actor
from support.cache_inspector import CacheInspector
from support.database_inspector import DatabaseInspector
from support.payment_processor import PaymentProcessorView
from support.personas import OWNER_PERSONA, role_of
from support.platform_api import PlatformApi


@dataclass
class Inspectors:
    """Run-wide connections to the stack's parts, opened once in ``before_all``."""

    platform_url: str
    admin_key: str | None
    db: DatabaseInspector
    cache: CacheInspector
    processor: PaymentProcessorView

    def close(self) -> None:
        self.db.close()
        self.cache.close()


@dataclass
class World:
    inspectors: Inspectors
    scenario_name: str
    tenant_slug: str = ""
    tenant_id: str = ""
    actors: dict[str, Actor] = field(default_factory=dict)
    _memory: dict[str, Any] = field(default_factory=dict)

    @property
    def db(self) -> DatabaseInspector:
        return self.inspectors.db

    @property
    def cache(self) -> CacheInspector:
        return self.inspectors.cache

    @property
    def processor(self) -> PaymentProcessorView:
        return self.inspectors.processor

    def provision_tenant(self) -> None:
        """Creates this scenario's tenant with Olivia as its owner, and signs her in."""
        if not self.inspectors.admin_key:
            raise RuntimeError("PLATFORM_ADMIN_KEY (or -D admin_key=...) is needed to create the scenario's tenant")
        self.tenant_slug = builders.tenant_slug_for(self.scenario_name)
        owner_password = builders.password()
        admin = PlatformApi(self.inspectors.platform_url, admin_key=self.inspectors.admin_key)
        tenant = admin.post("/admin/tenants", {
            "name": f"Tenant for {self.scenario_name}"[:200], "slug": self.tenant_slug,
            "owner": {"email": builders.email_for(OWNER_PERSONA, self.tenant_slug), "name": OWNER_PERSONA,
                      "password": owner_password},
        }).expect_ok("creating the scenario's tenant")
        self.tenant_id = tenant["id"]
        self.actors[OWNER_PERSONA] = self._sign_in(OWNER_PERSONA, "owner", owner_password)

    def actor(self, name: str) -> Actor:
        """The persona ``name`` of this tenant, added by the owner and signed in on first mention."""
        if name not in self.actors:
            role = role_of(name)
            secret = builders.password()
            self.actors[OWNER_PERSONA].api.post("/users", {
                "email": builders.email_for(name, self.tenant_slug), "name": name, "role": role,
                "password": secret,
            }).expect_ok(f"adding {name} as {role}")
            self.actors[name] = self._sign_in(name, role, secret)
        return self.actors[name]

    def _sign_in(self, name: str, role: str, secret: str) -> Actor:
        anonymous = PlatformApi(self.inspectors.platform_url)
        token = anonymous.post("/auth/token", {"tenant": self.tenant_slug,
                                               "email": builders.email_for(name, self.tenant_slug),
                                               "password": secret}).expect_ok(f"{name} signing in")
        return Actor(name=name, role=role, user_id=token["user_id"], api=anonymous.as_user(token["access_token"]))

    def remember(self, key: str, value: Any) -> Any:
        self._memory[key] = value
        return value

    def remember_also(self, key: str, value: Any) -> Any:
        """Adds ``value`` to the list remembered under ``key``."""
        self._memory.setdefault(key, []).append(value)
        return value

    def knows(self, key: str) -> bool:
        return key in self._memory

    def recall(self, key: str) -> Any:
        try:
            return self._memory[key]
        except KeyError:
            raise KeyError(f"this scenario has no {key} yet; an earlier step must create it "
                           f"(known: {', '.join(self._memory) or 'nothing'})") from None
