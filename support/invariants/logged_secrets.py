"""No instance writes a secret into its logs.

A log is read by more people than the records are (operators, whatever ships and keeps the logs, whoever is
sent an excerpt), so what may not be in an answer may not be in a log either: a password hash, a card token,
an access token, the platform's keys, and any password the scenario's requests carried (a sign-in's, a
newcomer's), whether or not it was right. Checked with the unexpected failures (``support.invariants.crashes``),
over the same lines: what the instances wrote since the scenario's first step. Each finding quotes the first
line that shows it, every secret in it masked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from support.invariants.answers import ACCESS_TOKEN, CARD_TOKEN, PASSWORD_HASH, secrets_shown

SHORTEST_PASSWORD = 8  # the platform's own rule for a new one; a shorter string could be in a log by chance
MASK = "***"
QUOTED = 200  # characters of the line quoted
WHOLE_HASH = re.compile(PASSWORD_HASH.pattern + r"\S*")  # the hash masked whole, not only its prefix


def shown_in_log(text: str, keys: tuple[str, ...], passwords: Iterable[str]) -> list[str]:
    """What of a secret ``text`` (a log's) shows, each with the first line showing it, masked: ``keys`` the
    platform's, ``passwords`` those the scenario sent."""
    keys = tuple(k for k in keys if k)
    sent = tuple(p for p in passwords if len(p) >= SHORTEST_PASSWORD)
    lines = text.splitlines()

    def first_line(holds: Callable[[str], object]) -> str:
        shown = next((line for line in lines if holds(line)), None)
        return masked(shown, (*keys, *sent))[:QUOTED] if shown is not None else "(the line could not be told)"

    problems = [f"{problem}: {first_line(_holding(problem, keys))}" for problem in secrets_shown(text, keys)]
    if any(password in text for password in sent):
        problems.append(f"shows a password this scenario sent: {first_line(lambda line: _any_in(line, sent))}")
    return problems


def _holding(problem: str, keys: tuple[str, ...]) -> Callable[[str], object]:
    """Whether a line holds the kind of secret ``problem`` (one of ``secrets_shown``'s) names."""
    for kind, pattern in (("password hash", PASSWORD_HASH), ("card token", CARD_TOKEN), ("access token", ACCESS_TOKEN)):
        if kind in problem:
            return pattern.search
    return lambda line: _any_in(line, keys)


def _any_in(line: str, secrets: tuple[str, ...]) -> bool:
    return any(secret in line for secret in secrets)


def masked(line: str, known: tuple[str, ...]) -> str:
    """``line`` with each of the ``known`` secrets, and every password hash, card token and access token, masked."""
    for secret in sorted(filter(None, known), key=len, reverse=True):
        line = line.replace(secret, MASK)
    for pattern in (WHOLE_HASH, CARD_TOKEN, ACCESS_TOKEN):
        line = pattern.sub(MASK, line)
    return line
