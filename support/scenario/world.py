"""One scenario's world (``context.world``): its own tenants, their people, what they remember.

Created in ``before_scenario`` and discarded after it; nothing here outlives a
scenario, so scenarios run in any order and in parallel.

Attributes owned:
    home: the tenant provisioned for this scenario (every persona without "of ..." belongs to it).
    others: further tenants by company name, provisioned on first mention ("Olivia of Initech").
    db, cache, processor: read-only inspectors shared by the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from support.clients.cache_inspector import CacheInspector
from support.clients.database_inspector import DatabaseInspector
from support.clients.platform_api import PlatformApi
from support.clients.processor_reader import PaymentProcessorView
from support.scenario import builders
from support.scenario.actors import Actor
from support.scenario.personas import OWNER_PERSONA, role_of


@dataclass
class Inspectors:
    """Run-wide connections to the stack's parts, opened once in ``before_all``."""

    platform_url: str
    platform_urls: list[str]
    model_url: str | None
    mail_server_url: str | None
    database_url: str | None
    admin_key: str | None
    token_secret: str | None
    db: DatabaseInspector
    cache: CacheInspector
    processor: PaymentProcessorView
    redis_url: str | None = None
    payment_processor_url: str | None = None
    stack_control_url: str | None = None

    def close(self) -> None:
        self.db.close()
        self.cache.close()


@dataclass
class Tenant:
    """One company on the platform, made for one scenario, with its people signed in on first mention."""

    platform_url: str
    slug: str
    id: str
    actors: dict[str, Actor] = field(default_factory=dict)

    @classmethod
    def provision(cls, inspectors: Inspectors, label: str) -> Tenant:
        if not inspectors.admin_key:
            raise RuntimeError("PLATFORM_ADMIN_KEY (or -D admin_key=...) is needed to create a scenario's tenant")
        slug = builders.tenant_slug_for(label)
        owner_password = builders.password()
        admin = PlatformApi(inspectors.platform_url, admin_key=inspectors.admin_key)
        created = admin.post(
            "/admin/tenants",
            {
                "name": label[:200].strip(),
                "slug": slug,
                "owner": {
                    "email": builders.email_for(OWNER_PERSONA, slug),
                    "name": OWNER_PERSONA,
                    "password": owner_password,
                },
            },
        ).expect_ok(f"creating the tenant for {label}")
        tenant = cls(platform_url=inspectors.platform_url, slug=slug, id=created["id"])
        tenant.actors[OWNER_PERSONA] = tenant.sign_in(OWNER_PERSONA, "owner", owner_password)
        return tenant

    def actor(self, name: str) -> Actor:
        """The persona ``name`` here, added by the owner and signed in on first mention."""
        if name not in self.actors:
            role = role_of(name)
            secret = builders.password()
            self.actors[OWNER_PERSONA].api.post(
                "/users",
                {
                    "email": builders.email_for(name, self.slug),
                    "name": name,
                    "role": role,
                    "password": secret,
                },
            ).expect_ok(f"adding {name} as {role}")
            self.actors[name] = self.sign_in(name, role, secret)
        return self.actors[name]

    def sign_in(self, name: str, role: str, secret: str) -> Actor:
        anonymous = PlatformApi(self.platform_url)
        token = anonymous.post(
            "/auth/token", {"tenant": self.slug, "email": builders.email_for(name, self.slug), "password": secret}
        ).expect_ok(f"{name} signing in")
        return Actor(
            name=name,
            role=role,
            user_id=token["user_id"],
            token=token["access_token"],
            api=anonymous.as_user(token["access_token"]),
            tenant_slug=self.slug,
        )


@dataclass
class World:
    inspectors: Inspectors
    scenario_name: str
    home: Tenant | None = None
    home_name: str | None = None
    others: dict[str, Tenant] = field(default_factory=dict)
    _memory: dict[str, Any] = field(default_factory=dict)
    _cleanups: list[Callable[[], Any]] = field(default_factory=list)

    def on_cleanup(self, undo: Callable[[], Any]) -> None:
        """Registers how to undo something just acquired; ``clean_up`` runs them newest first."""
        self._cleanups.append(undo)

    def clean_up(self) -> None:
        errors = []
        while self._cleanups:
            try:
                self._cleanups.pop()()
            except Exception as exc:  # keep undoing the rest
                errors.append(exc)
        if errors:
            raise errors[0]

    @property
    def db(self) -> DatabaseInspector:
        return self.inspectors.db

    @property
    def cache(self) -> CacheInspector:
        return self.inspectors.cache

    @property
    def processor(self) -> PaymentProcessorView:
        return self.inspectors.processor

    @property
    def tenant_id(self) -> str:
        return self._home().id

    def provision_tenant(self) -> None:
        """Creates this scenario's own tenant with Olivia as its owner, and signs her in."""
        self.home = Tenant.provision(self.inspectors, self.scenario_name)

    def _home(self) -> Tenant:
        if self.home is None:
            raise RuntimeError("the scenario's tenant has not been provisioned")
        return self.home

    def call_home(self, company: str) -> None:
        """Names the scenario's own tenant after a company, so steps can say "Sam of Globex"."""
        self.home_name = company

    def tenant(self, company: str | None = None) -> Tenant:
        """The scenario's own tenant, or another company's, provisioned on first mention.

        The first company a scenario names as a tenant is its own.
        """
        if company is not None and self.home_name is None:
            self.home_name = company
        if company is None or company == self.home_name:
            return self._home()
        if company not in self.others:
            self.others[company] = Tenant.provision(self.inspectors, f"{company} for {self.scenario_name}")
        return self.others[company]

    def actor(self, name: str, company: str | None = None) -> Actor:
        return self.tenant(company).actor(name)

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
            raise KeyError(
                f"this scenario has no {key} yet; an earlier step must create it "
                f"(known: {', '.join(self._memory) or 'nothing'})"
            ) from None
