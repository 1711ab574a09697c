"""Locust users running the lead-to-cash journey against the platform (see ``bench.soak``).

Each user is one company's salesperson and finance officer; each task is one
whole journey, recorded as the request type JOURNEY besides its requests.
Requests are named by their path template, so p95 is per operation. The users are
spread over every instance (``PLATFORM_URLS``, one user after another, as a load
balancer would), or all sent to ``--host`` when that is unset.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from decimal import Decimal

from locust import HttpUser, between, task
from locust.clients import HttpSession

from support.areas.journeys.lead_to_cash import lead_to_cash
from support.clients.platform_api import PlatformApi
from support.scenario.config import SpecConfig
from support.scenario.personas import FINANCE_PERSONA, SALES_PERSONA
from support.scenario.tenants import Tenant

USERS_MADE = itertools.count()  # in this process: the next user's instance


def instance_for(number: int, host: str) -> str:
    """The instance the numbered user works on: every instance in turn (``PLATFORM_URLS``), else ``host``."""
    urls = [url for url in os.environ.get("PLATFORM_URLS", "").split(",") if url]
    return urls[number % len(urls)] if urls else host


ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class NamedSession(HttpSession):
    """Locust's session, with every request named by its path template (ids replaced by {id})."""

    def request(self, method, url, name=None, **kwargs):
        return super().request(
            method, url, name=name or ID.sub("{id}", url.split("?")[0].replace(self.base_url, "")), **kwargs
        )


class JourneyUser(HttpUser):
    wait_time = between(0, 0.05)

    def on_start(self) -> None:
        self.instance = instance_for(next(USERS_MADE), self.host)
        config = SpecConfig(platform_url=self.instance, admin_key=os.environ["PLATFORM_ADMIN_KEY"])
        tenant = Tenant.provision(config, f"soak {id(self)}")
        self.seller, self.biller = (
            self._through_locust(tenant.actor(name)) for name in (SALES_PERSONA, FINANCE_PERSONA)
        )
        self.journeys = 0

    def _through_locust(self, actor):
        session = NamedSession(self.instance, self.environment.events.request, self)
        actor.api = PlatformApi(self.instance, token=actor.token, session=session)
        return actor

    @task
    def lead_to_cash(self) -> None:
        began = time.perf_counter()
        error = None
        try:
            lead_to_cash(self.seller, self.biller, f"Client {self.journeys}", Decimal("100.00"))
        except Exception as exc:  # recorded as a failed journey; the run goes on
            error = exc
        self.journeys += 1
        self.environment.events.request.fire(
            request_type="JOURNEY",
            name="lead-to-cash",
            response_time=(time.perf_counter() - began) * 1000,
            response_length=0,
            exception=error,
            context={},
        )
