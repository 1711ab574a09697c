"""Times a scenario's set-up: its company and three people signed in, made the way scenarios make them now
(one call makes the company with every persona; each signs in on first mention) against the way before
(the company with its owner, then each person added by the owner and signed in), alternated in one run.

    .venv/bin/python -m bench.provisioning --companies 40

Prints the median per company of each way and their ratio, and records the figure.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench import figures
from support.clients.paths import Tenancy
from support.clients.platform_api import PlatformApi
from support.scenario import builders
from support.scenario.config import SpecConfig
from support.scenario.personas import OWNER_PERSONA, PERSONAS
from support.scenario.tenants import Tenant
from support.stack.stack import Stack

USED = ("Sam", "Fiona", "Cleo")  # a scenario's usual cast besides the owner


def one_call(config: SpecConfig, label: str) -> None:
    tenant = Tenant.provision(config, label)
    for name in (OWNER_PERSONA, *USED):
        tenant.actor(name)


def owner_adds_each(config: SpecConfig, label: str) -> None:
    """The set-up before: the company with its owner; the owner adds each person, who then signs in."""
    slug = builders.tenant_slug_for(label)
    secret = builders.password()
    admin = PlatformApi(config.platform_url or "", admin_key=config.admin_key)
    owner = {"email": builders.email_for(OWNER_PERSONA, slug), "name": OWNER_PERSONA, "password": secret}
    created = admin.post(Tenancy.COMPANIES, {"name": label, "slug": slug, "owner": owner}).expect_ok("company")
    tenant = Tenant(platform_url=config.platform_url or "", slug=slug, id=created["id"])
    boss = tenant.sign_in(OWNER_PERSONA, "owner", secret)
    for name in USED:
        person = {"email": builders.email_for(name, slug), "name": name, "role": PERSONAS[name], "password": secret}
        boss.api.post(Tenancy.USERS, person).expect_ok(f"adding {name}")
        tenant.sign_in(name, PERSONAS[name], secret)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=40, help="companies made each way (default 40)")
    args = parser.parse_args()
    if args.companies < 1:
        parser.error("--companies must be at least 1")
    now: list[float] = []
    before: list[float] = []
    with Stack({}) as stack:
        config = SpecConfig.of(stack.env)
        for n in range(args.companies):
            for way, times in ((one_call, now), (owner_adds_each, before)):
                began = time.perf_counter()
                way(config, f"bench {way.__name__} {n}")
                times.append(time.perf_counter() - began)
    run = {
        "companies": args.companies,
        "one_call_ms": statistics.median(now) * 1000,
        "owner_adds_each_ms": statistics.median(before) * 1000,
    }
    run["ratio"] = run["owner_adds_each_ms"] / run["one_call_ms"]
    print(
        f"a company and four people signed in: {run['one_call_ms']:.1f} ms in one call against "
        f"{run['owner_adds_each_ms']:.1f} ms added one by one (medians of {args.companies}): {run['ratio']:.2f}x"
    )
    runs = figures.runs_alike("provisioning", run, "companies")
    figures.record(
        "provisioning",
        order=25,
        what="a scenario's set-up: its company and four people signed in, in one call (every persona made with the"
        " company, each signing in on first mention) against the owner adding each person, alternated in one run",
        figure=" and ".join(
            f"{r['one_call_ms']:.0f} vs {r['owner_adds_each_ms']:.0f} ms (**{r['ratio']:.2f}×**)" for r in runs[-2:]
        )
        + f" per company, medians of {args.companies}",
        command=f".venv/bin/python -m bench.provisioning --companies {args.companies}",
        runs=runs,
    )


if __name__ == "__main__":
    main()
