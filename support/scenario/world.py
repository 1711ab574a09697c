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
from support.clients.faults import HeldProjectRow, HeldTenantLock
from support.clients.processor_reader import PaymentProcessorView
from support.scenario.actors import Actor
from support.scenario.facts import (
    AnalyticsFacts,
    AssistantFacts,
    BillingFacts,
    ComplianceFacts,
    FinanceFacts,
    JourneysFacts,
    LifeCycleFacts,
    OperationsFacts,
    PerformanceFacts,
    ResilienceFacts,
    SalesFacts,
    TenancyFacts,
    Told,
    known,
)
from support.scenario.tenants import Inspectors, Tenant


@dataclass
class World:
    inspectors: Inspectors
    scenario_name: str
    home: Tenant | None = None
    home_name: str | None = None
    others: dict[str, Tenant] = field(default_factory=dict)
    sales: SalesFacts = field(default_factory=SalesFacts)
    billing: BillingFacts = field(default_factory=BillingFacts)
    assistant: AssistantFacts = field(default_factory=AssistantFacts)
    compliance: ComplianceFacts = field(default_factory=ComplianceFacts)
    finance: FinanceFacts = field(default_factory=FinanceFacts)
    analytics: AnalyticsFacts = field(default_factory=AnalyticsFacts)
    performance: PerformanceFacts = field(default_factory=PerformanceFacts)
    journeys: JourneysFacts = field(default_factory=JourneysFacts)
    life_cycle: LifeCycleFacts = field(default_factory=LifeCycleFacts)
    operations: OperationsFacts = field(default_factory=OperationsFacts)
    resilience: ResilienceFacts = field(default_factory=ResilienceFacts)
    tenancy: TenancyFacts = field(default_factory=TenancyFacts)
    told: Told | None = None  # the last answer a step kept as the one a person received
    _cleanups: list[Callable[[], Any]] = field(default_factory=list)
    _holds: list[HeldTenantLock | HeldProjectRow] = field(default_factory=list)

    def holding(self, hold: HeldTenantLock | HeldProjectRow) -> None:
        """Notes a hold on records the scenario made (released at clean-up at the latest)."""
        self._holds.append(hold)
        self.on_cleanup(hold.release)

    @property
    def records_held(self) -> bool:
        """Whether something the scenario made holds records still: a write of their company may wait for it."""
        return any(hold.held for hold in self._holds)

    def on_cleanup(self, undo: Callable[[], Any]) -> None:
        """Registers how to undo something just acquired; ``clean_up`` runs them newest first."""
        self._cleanups.append(undo)

    def long_job_holding_records(self, company_id: str | None = None) -> HeldTenantLock:
        """A long job holding the records of the company ``company_id`` (the scenario's own when None), as a
        job of the company would: every audited write of it waits, until the job is released, or the scenario
        is cleaned up."""
        if not self.inspectors.config.database_url:
            raise AssertionError("holding a company's records needs DATABASE_URL")
        job = HeldTenantLock(self.inspectors.config.database_url, company_id or self.tenant_id)
        self.holding(job)
        return job

    def on_final_cleanup(self, undo: Callable[[], Any]) -> None:
        """Registers an undo that runs after every other (e.g. a service started again once the faults it
        depends on are healed)."""
        self._cleanups.insert(0, undo)

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
        self.home = Tenant.provision(self.inspectors.config, self.scenario_name)
        self.inspectors.companies_made.append(self.home.id)

    def _home(self) -> Tenant:
        if self.home is None:
            raise RuntimeError("the scenario's tenant has not been provisioned")
        return self.home

    def call_home(self, company: str) -> None:
        """Names the scenario's own tenant after a company, so steps can say "Sam of Globex"."""
        self.home_name = company

    def tenant(self, company: str | None = None) -> Tenant:
        """The scenario's own tenant, or another company's, provisioned on first mention.

        The first company a scenario names as a tenant is its own, unless a person of its own company has
        acted already ("Fiona of Initech" after "Sam has ..." is another company's Fiona).
        """
        if company is not None and self.home_name is None and not self._home().actors:
            self.home_name = company
        if company is None or company == self.home_name:
            return self._home()
        if company not in self.others:
            self.others[company] = Tenant.provision(self.inspectors.config, f"{company} for {self.scenario_name}")
            self.inspectors.companies_made.append(self.others[company].id)
        return self.others[company]

    def companies_named(self) -> list[str]:
        """Every company the scenario has named, its own first."""
        return [name for name in (self.home_name, *self.others) if name is not None]

    def actor(self, name: str, company: str | None = None) -> Actor:
        return self.tenant(company).actor(name)

    def records_made_for(self, company: str) -> None:
        """Checks the company a step names is the one whose records the scenario made (never a stand-in)."""
        owner = self.tenancy.records_of if known(self.tenancy, TenancyFacts.records_of) else None
        if owner is not None and owner != company:
            raise AssertionError(f"the records were made for {owner!r}, not {company!r} as the step says")

    def answered(self, name: str, answer: Any) -> Any:
        """Keeps ``answer`` as the last one ``name`` received; returns it."""
        self.told = Told(name, answer)
        return answer

    def answer_to(self, name: str) -> Any:
        """The last answer kept by ``answered``, checked to be the one ``name`` received (as the step says)."""
        if self.told is None:
            raise AssertionError(f"the step speaks of {name}'s answer, but nobody has been answered yet")
        return self.told.of(name)
