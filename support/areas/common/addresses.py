"""People's e-mail addresses, and the same address written other ways (one account, however it is written)."""

from __future__ import annotations

from collections.abc import Callable

from support.scenario import builders
from support.scenario.world import World

WRITTEN: dict[str, Callable[[str], str]] = {  # an address written some way that names the same account
    "as it is": lambda address: address,
    "in capitals": str.upper,
    "in mixed case": lambda address: "".join(c.upper() if n % 2 else c for n, c in enumerate(address)),
    "in full-width letters": lambda address: "".join(
        chr(ord(c) - ord("a") + ord("\uff41")) if "a" <= c <= "z" else c for c in address
    ),
}


def email_of(world: World, who: str) -> str:
    """A persona's e-mail in the scenario's company, or an address written out (an account that may not exist)."""
    if "@" in who:
        return who
    world.actor(who)  # the person exists in the company before anyone uses the address
    return builders.email_for(who, world.home.slug)
