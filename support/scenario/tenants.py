"""The run's view of the stack (``Inspectors``) and one company made for a scenario (``Tenant``), its people signed in."""

from __future__ import annotations

from dataclasses import dataclass, field

from support.clients.cache_inspector import CacheInspector
from support.clients.database_inspector import DatabaseInspector
from support.clients.paths import Tenancy
from support.clients.platform_api import PlatformApi
from support.clients.processor_reader import PaymentProcessorView
from support.scenario import builders
from support.scenario.actors import Actor
from support.scenario.config import SpecConfig
from support.scenario.personas import OWNER_PERSONA, PERSONAS, role_of


@dataclass
class Inspectors:
    """Run-wide: where everything is (``config``) and read-only connections to it, opened once in ``before_all``."""

    config: SpecConfig
    db: DatabaseInspector
    cache: CacheInspector
    processor: PaymentProcessorView
    companies_made: list[str] = field(default_factory=list)  # every company this run made, by id

    @classmethod
    def open(cls, config: SpecConfig) -> Inspectors:
        return cls(
            config,
            db=DatabaseInspector(config.database_url),
            cache=CacheInspector(config.redis_url),
            processor=PaymentProcessorView(config.payment_processor_url),
        )

    def close(self) -> None:
        self.db.close()
        self.cache.close()

    def operator(self) -> PlatformApi:
        """The platform's operator: the admin key's client (making, removing, backing up companies)."""
        return PlatformApi(self.config.platform_url or "", admin_key=self.config.admin_key)

    def remove_companies_made(self) -> tuple[int, list[str]]:
        """Removes every company this run made, through the operator's endpoint (a shared deployment keeps
        nothing of a run). Returns how many went, and what stopped the others."""
        operator = self.operator()
        removed, problems = 0, []
        for company in self.companies_made:
            answer = operator.call("DELETE", Tenancy.company(company))
            if answer.status in (204, 404):
                removed += answer.status == 204
            else:
                problems.append(f"{company}: {answer.status} {answer.body}")
        self.companies_made.clear()
        return removed, problems


@dataclass
class Tenant:
    """One company on the platform, made for one scenario, with its people signed in on first mention."""

    platform_url: str
    slug: str
    id: str
    actors: dict[str, Actor] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)  # each person's own, to sign in again

    @classmethod
    def provision(cls, config: SpecConfig, label: str) -> Tenant:
        """The company with every persona in it, made in one call (each signs in on first mention)."""
        if not config.admin_key:
            raise RuntimeError("PLATFORM_ADMIN_KEY (or -D admin_key=...) is needed to create a scenario's tenant")
        slug = builders.tenant_slug_for(label)
        passwords = {name: builders.password() for name in PERSONAS}

        def person(name: str) -> dict[str, str]:
            return {"email": builders.email_for(name, slug), "name": name, "password": passwords[name]}

        admin = PlatformApi(config.platform_url or "", admin_key=config.admin_key)
        created = admin.post(
            Tenancy.COMPANIES,
            {
                "name": label[:200].strip(),
                "slug": slug,
                "owner": person(OWNER_PERSONA),
                "people": [{**person(name), "role": role} for name, role in PERSONAS.items() if name != OWNER_PERSONA],
            },
        ).expect_ok(f"creating the tenant for {label} with its people")
        return cls(platform_url=config.platform_url or "", slug=slug, id=created["id"], passwords=passwords)

    def actor(self, name: str) -> Actor:
        """The persona ``name`` here, signed in on first mention."""
        if name not in self.actors:
            self.actors[name] = self.sign_in(name, role_of(name), self.passwords[name])
        return self.actors[name]

    def sign_in(self, name: str, role: str, secret: str) -> Actor:
        self.passwords[name] = secret
        anonymous = PlatformApi(self.platform_url, evidence=False)  # each person's first sign-in: plumbing
        token = anonymous.post(
            Tenancy.SIGN_IN, {"tenant": self.slug, "email": builders.email_for(name, self.slug), "password": secret}
        ).expect_ok(f"{name} signing in")
        return Actor(
            name=name,
            role=role,
            user_id=token["user_id"],
            token=token["access_token"],
            api=anonymous.as_user(token["access_token"], caller=name, company=self.id),
            tenant_slug=self.slug,
        )
