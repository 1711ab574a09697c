"""Many companies full of people, for load: the assistant benchmark and the ``@perf`` feature.

Each company gets its owner, ``per_company - 1`` analysts (who may read sales and
billing, so the assistant's tools answer them), one open deal worth 1,000.00
EUR, and a signed-in session for everyone. Companies are made a few at a time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from support.clients.paths import Sales, Tenancy
from support.clients.platform_api import PlatformApi

PASSWORD = "crowd-password"


@dataclass(frozen=True, slots=True)
class Member:
    company: str  # the company's slug
    email: str
    token: str


def crowd(
    base_url: str,
    admin_key: str,
    *,
    companies: int,
    per_company: int,
    label: str = "crowd",
    progress: Callable[[int], None] = lambda made: None,
    parallel: int = 8,
) -> list[Member]:
    """Makes ``companies`` companies of ``per_company`` people each; returns them company by company.

    Raises:
        AssertionError: the platform refused a step (the message names it and the answer).
    """
    if companies < 1 or per_company < 1:
        raise ValueError("a crowd needs at least one company of at least one person")
    run = uuid.uuid4().hex[:6]
    made: list[list[Member]] = []
    with ThreadPoolExecutor(parallel) as pool:
        for members in pool.map(
            lambda n: _company(base_url, admin_key, f"{label}-{run}-{n}", per_company), range(companies)
        ):
            made.append(members)
            progress(sum(len(m) for m in made))
    return [member for members in made for member in members]


def _company(base_url: str, admin_key: str, slug: str, size: int) -> list[Member]:
    admin = PlatformApi(base_url, admin_key=admin_key)
    owner_email = f"olivia@{slug}.example.com"
    emails = [owner_email] + [f"analyst-{n}@{slug}.example.com" for n in range(1, size)]
    analysts = [
        {"email": email, "name": f"Analyst {n}", "role": "analyst", "password": PASSWORD}
        for n, email in enumerate(emails[1:], start=1)
    ]
    admin.post(
        Tenancy.COMPANIES,
        {
            "name": slug,
            "slug": slug,
            "owner": {"email": owner_email, "name": "Olivia", "password": PASSWORD},
            "people": analysts,
        },
    ).expect_ok(f"creating {slug} with its {size - 1} analysts")
    owner = _signed_in(base_url, slug, owner_email)
    lead = owner.post(
        Sales.LEADS, {"company": "Globex", "contact_name": "Bea", "estimated_value": "1000.00"}
    ).expect_ok("capturing a lead")
    owner.post(Sales.lead(lead["id"], "qualify")).expect_ok("qualifying the lead")
    owner.post(Sales.lead(lead["id"], "convert"), {}).expect_ok("opening the deal")
    return [Member(slug, email, _token(base_url, slug, email)) for email in emails]


def _token(base_url: str, slug: str, email: str) -> str:
    return (
        PlatformApi(base_url)
        .post(Tenancy.SIGN_IN, {"tenant": slug, "email": email, "password": PASSWORD})
        .expect_ok(f"signing in {email}")["access_token"]
    )


def _signed_in(base_url: str, slug: str, email: str) -> PlatformApi:
    return PlatformApi(base_url, token=_token(base_url, slug, email))
