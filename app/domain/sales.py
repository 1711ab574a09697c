"""Leads and opportunities: which moves are allowed from which state."""

from __future__ import annotations

from enum import StrEnum

from app.domain.errors import InvalidTransition


class LeadStatus(StrEnum):
    NEW = "new"
    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"
    CONVERTED = "converted"


class Stage(StrEnum):
    PROSPECTING = "prospecting"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"


OPEN_STAGES = frozenset({Stage.PROSPECTING, Stage.PROPOSAL, Stage.NEGOTIATION})

KICK_OFF_TASKS = (
    "Hold the kick-off meeting",
    "Agree the delivery plan",
    "Set up the client's workspace",
)


TITLE_LIMIT = 200


def deal_title_for(company: str) -> str:
    """The default title of a company's deal, kept within the title's length limit."""
    title = f"{company} deal"
    return title if len(title) <= TITLE_LIMIT else company[:TITLE_LIMIT]


def ensure_can_qualify(status: LeadStatus) -> None:
    if status is not LeadStatus.NEW:
        raise InvalidTransition(f"only a new lead can be qualified; this one is {status}")


def ensure_can_disqualify(status: LeadStatus) -> None:
    if status not in (LeadStatus.NEW, LeadStatus.QUALIFIED):
        raise InvalidTransition(f"a {status} lead cannot be disqualified")


def ensure_can_convert(status: LeadStatus) -> None:
    if status is not LeadStatus.QUALIFIED:
        raise InvalidTransition(f"only a qualified lead becomes a deal; this one is {status}")


def ensure_open(stage: Stage) -> None:
    if stage not in OPEN_STAGES:
        raise InvalidTransition(f"the deal is already {stage}")


def ensure_can_move_to(current: Stage, target: Stage) -> None:
    ensure_open(current)
    if target not in OPEN_STAGES:
        raise InvalidTransition(f"use win or lose to close a deal, not a move to {target}")
