"""Every cache key that names a company or a person of the scenario is filed under that company.

The platform keeps each company's keys under ``tenant:{company id}:`` (its reports, its people's rate limits,
its runs' event logs, its people's notification feeds) and its own under ``platform:`` (holding no company's
data), so that one namespace is what isolating, removing or restoring a company touches. Checked once per
scenario, at its last step, over one scan of the keys (their names only): a key naming one of the scenario's
people sits under that person's company; a ``tenant:`` namespace is a company's, never a person's; no key
outside its company's namespace names the company. People are known by the ids they were given at sign-in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

NAMESPACE = "tenant:"


def misfiled(keys: Iterable[str], people: Mapping[str, str], companies: Iterable[str] = ()) -> list[str]:
    """What is wrong with ``keys`` (every key name in the cache) for ``people`` (person id -> company id) and
    ``companies`` (ids; every person's is one too): a violation per key, in a reviewer's words."""
    companies = {*companies, *people.values()}
    problems = []
    for key in keys:
        namespace = key[len(NAMESPACE) :].split(":", 1)[0] if key.startswith(NAMESPACE) else None
        if namespace in people:
            problems.append(f"the cache key {key} is filed under a person ({namespace}), not under a company")
            continue
        for person, company in people.items():
            if person in key and namespace != company:
                problems.append(f"the cache key {key} names person {person} outside their company's namespace")
        problems += [
            f"the cache key {key} names company {company} outside its namespace ({NAMESPACE}{company}:)"
            for company in companies
            if company in key and namespace != company
        ]
    return problems
