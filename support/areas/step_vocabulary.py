"""Every step type the features use, registered in this one place (by ``environment.py``).

The general words (a persona, a company, money, a rate, a list) are read by
``support.scenario.step_types``; each area's words (the frames a socket may be
sent, the things only their owner may touch...) are made from the area's own
lists, so a feature and the code that acts on it can never name different
things.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import parse
from behave import register_type
from parse_type import TypeBuilder

from support.areas.billing import key_reuse
from support.areas.common import life_cycles
from support.areas.compliance import checks as compliance_checks
from support.areas.operations import access_events, http_limits, socket_frames
from support.areas.resilience import outages
from support.areas.tenancy import ownership
from support.scenario.step_types import register_general_step_types


def _one_of(words: Iterable[str]) -> Callable[[str], str]:
    """A step type matching exactly one of ``words``."""
    choice: Callable[[str], str] = TypeBuilder.make_choice(list(words))
    return choice


def _list_of(words: Iterable[str]) -> Callable[[str], list[str]]:
    """A step type matching one or more of ``words``, as "a, b and c"."""
    one = "|".join(re.escape(word) for word in words)

    @parse.with_pattern(rf"(?:{one})(?:(?:, | and )(?:{one}))*")
    def listed(text: str) -> list[str]:
        return re.findall(one, text)

    return listed


@parse.with_pattern(r"the oldest|the newest")
def _position(text: str) -> str:
    return text


@parse.with_pattern("|".join(re.escape(action) for action in life_cycles.ACTIONS))
def _life_cycle_action(text: str) -> str:
    return text


def register_step_types() -> None:
    register_general_step_types()
    register_type(
        # billing
        KeyReuse=_one_of(key_reuse.DIRECTIONS),
        RefundKeyReuse=_one_of(key_reuse.REFUND_DIRECTIONS),
        # compliance: an audit entry by its place in the trail; which entries a tampering removes
        Position=_position,
        AuditRemoval=_one_of(compliance_checks.REMOVALS),
        # life cycles
        LifeCycleAction=_life_cycle_action,
        # operations: malformed frames and numbers at a column's limit, each by its name in the features
        SocketFrame=_one_of(socket_frames.FRAMES),
        SocketClose=_one_of(socket_frames.CLOSES),
        SocketField=_one_of(socket_frames.FIELDS),
        NumberField=_one_of(http_limits.AT_THE_LIMIT),
        RequestSize=_one_of(http_limits.SIZES),
        BodyLabel=_one_of(http_limits.SENT_AS),
        SessionTaken=_one_of(["still taken", "refused"]),
        RequestOutcome=_one_of(http_limits.OUTCOMES),
        HeadersOf=_list_of(http_limits.HEADS_OF),
        Forbidden=_one_of(access_events.OPERATIONS),
        # resilience: the servers the faults stop and start, and what the processor answers
        Server=_one_of([*outages.SERVERS, outages.PROCESSOR, outages.MODEL]),
        ProcessorAnswer=_one_of(outages.PROCESSOR_ANSWERS),
        # tenancy: what only its owner may touch
        OwnedThing=_one_of(ownership.THINGS),
        OwnersAction=_one_of(ownership.ACTIONS),
    )
