"""What a scenario made and was told, area by area: one small record each, held by the World.

A step may read what an earlier step of the scenario wrote here; a fact read before any step wrote it
fails saying which fact and that an earlier step must make it (``Fact``). Typed, so a reader sees what a
step may read and mypy checks it; nothing outlives the scenario.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar, overload

from support.clients.chat_client import ChatClient
from support.clients.platform_api import Answer, PlatformApi

T = TypeVar("T")


class Fact(Generic[T]):
    """One fact of a record: set by a step, read by a later one; read unset, it fails naming itself."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.area = owner.__name__.removesuffix("Facts").lower() or "scenario"

    @overload
    def __get__(self, record: None, owner: type) -> Fact[T]: ...
    @overload
    def __get__(self, record: object, owner: type) -> T: ...
    def __get__(self, record: object | None, owner: type) -> T | Fact[T]:
        if record is None:
            return self
        try:
            return record.__dict__[self.name]  # type: ignore[no-any-return]
        except KeyError:
            raise AssertionError(
                f"this scenario has no {self.area} {self.name.replace('_', ' ')} yet; an earlier step must make it"
            ) from None

    def __set__(self, record: object, value: T) -> None:
        record.__dict__[self.name] = value


def known(record: object, fact: Fact[Any]) -> bool:
    """Whether a step of the scenario has set ``fact`` (named by its class: ``SalesFacts.deal``) on ``record``."""
    return fact.name in record.__dict__


@dataclass
class AskedRun:
    """One question a person asked the assistant, and the events of its run seen so far."""

    asker: str
    client: ChatClient
    run_id: str
    thread_id: str
    events: list[dict[str, Any]] = field(default_factory=list)
    question: str = ""

    @property
    def answer(self) -> str:
        return next((e["data"]["answer"] for e in self.events if e["type"] == "agent_completed"), "")


@dataclass(frozen=True)
class Told:
    """An answer, and the person it went to (a step that speaks of someone's answer checks it is theirs)."""

    to: str
    answer: Any

    def of(self, name: str) -> Any:
        if self.to != name:
            raise AssertionError(f"the step speaks of {name}'s answer, but the last one went to {self.to}")
        return self.answer


class SalesFacts:
    lead: Fact[dict[str, Any]] = Fact()
    deal: Fact[dict[str, Any]] = Fact()
    project: Fact[dict[str, Any]] = Fact()
    client_name: Fact[str] = Fact()
    conversion: Fact[Answer] = Fact()
    captured: Fact[list[dict[str, Any]]] = Fact()
    page_answer: Fact[Answer] = Fact()
    pages: Fact[list[list[str]]] = Fact()
    notification: Fact[dict[str, Any]] = Fact()
    notification_pages: Fact[list[list[str]]] = Fact()
    clients_won: Fact[list[str]] = (
        Fact()
    )  # the clients whose deals were won, in the order they were won  # the texts of each page of a person's notifications


class BillingFacts:
    invoice: Fact[dict[str, Any]] = Fact()
    payment_request: Fact[dict[str, Any]] = Fact()
    refund: Fact[Told] = Fact()
    refund_request: Fact[dict[str, Any]] = Fact()  # the last refund asked for: its payment, amount and key
    drafted: Fact[list[dict[str, Any]]] = Fact()
    invoice_pages: Fact[list[list[dict[str, Any]]]] = Fact()
    key_reuse: Fact[dict[str, Any]] = Fact()
    mail_fault: Fact[Any] = Fact()
    invoiced_clients: Fact[list[str]] = Fact()
    named_with_line_separators: Fact[tuple[str, dict[str, Any]]] = (
        Fact()
    )  # (the name as a feature says it, its invoice)

    def __init__(self) -> None:
        self.payments: list[Answer] = []  # every payment answer, oldest first


class AssistantFacts:
    run: Fact[AskedRun] = Fact()
    refusal: Fact[dict[str, Any]] = Fact()
    follower: Fact[ChatClient] = Fact()
    followed: Fact[list[dict[str, Any]]] = Fact()
    crash: Fact[Any] = Fact()
    crowd: Fact[list[AskedRun]] = Fact()
    model_fault: Fact[Any] = Fact()
    resumed_after: Fact[int] = Fact()
    resume_answer: Fact[Told] = Fact()
    crowd_figures: Fact[Any] = Fact()
    crowd_members: Fact[Any] = Fact()
    crowd_runs: Fact[Any] = Fact()
    lookup_summary_full: Fact[str] = Fact()
    connections: Fact[list[ChatClient]] = Fact()
    opened_last: Fact[ChatClient] = Fact()  # the connection a person opened last, past those they held open
    conversation_pages: Fact[list[list[tuple[str, str]]]] = Fact()  # who said what, page by page
    time_limit_outcomes: Fact[list[dict[str, Any]]] = Fact()
    held_write: Fact[Any] = Fact()

    def __init__(self) -> None:
        self.runs: list[AskedRun] = []  # every run, oldest first
        self.chats: dict[tuple[str, str | None, int], ChatClient] = {}  # (person, company, instance) -> connection


class ComplianceFacts:
    approval: Fact[dict[str, Any]] = Fact()
    decision: Fact[Answer] = Fact()
    tampered_seq: Fact[int] = Fact()


class JourneysFacts:
    campaign: Fact[dict[str, Any]] = Fact()
    ticket: Fact[dict[str, Any]] = Fact()
    ticket_answer: Fact[Answer] = Fact()


class AnalyticsFacts:
    answer: Fact[Answer] = Fact()  # the last answer the analytics gave


class PerformanceFacts:
    yardstick_urls: Fact[list[str]] = Fact()
    yardstick_http: Fact[list[str]] = Fact()  # the yardstick's HTTP addresses (its bare endpoint)
    yardstick: Fact[Any] = Fact()  # the yardstick's runs and their figures
    api_reads: Fact[Any] = Fact()  # the platform's reads of a list under load
    api_yardstick_reads: Fact[Any] = Fact()  # the same reads of the yardstick's bare endpoint


class FinanceFacts:
    computations_before: Fact[Any] = Fact()
    clock_stands_at: Fact[datetime] = Fact()


class LifeCycleFacts:
    move: Fact[Answer] = Fact()
    record: Fact[dict[str, Any]] = Fact()


class OperationsFacts:
    refused: Fact[Any] = Fact()
    reload_answer: Fact[Answer] = Fact()
    start_settings: Fact[dict[str, str]] = Fact()
    started_platform: Fact[Any] = Fact()
    limit_answer: Fact[Answer] = Fact()
    heads: Fact[dict[str, tuple[Answer, Answer]]] = Fact()  # what was asked -> (its headers alone, the whole)
    limit_api: Fact[PlatformApi] = Fact()
    new_key: Fact[str] = Fact()
    rotation: Fact[Any] = Fact()
    counters_before: Fact[dict[str, float]] = Fact()
    stopping: Fact[Any] = Fact()
    sign_in_answer: Fact[Answer] = Fact()
    sign_in_answers: Fact[list[Answer]] = Fact()
    frame_client: Fact[ChatClient] = Fact()
    log_mark: Fact[Any] = Fact()
    role_change: Fact[Answer] = Fact()
    role_changes: Fact[dict[str, Answer]] = Fact()  # by who made the change
    backup: Fact[dict[str, Any]] = Fact()
    backed_up: Fact[dict[str, Any]] = Fact()  # what the backed-up company held when its backup was taken
    restore_answer: Fact[Answer] = Fact()
    restore_answers: Fact[list[Answer]] = Fact()  # restores of one backup sent at the same moment

    def __init__(self) -> None:
        self.sessions: dict[tuple[str, str], str] = {}  # (earlier or new, person) -> the session's token


class ResilienceFacts:
    acknowledged_before_loss: Fact[list[Answer]] = Fact()
    batch: Fact[Any] = Fact()
    batch_requests: Fact[Any] = Fact()
    void: Fact[Answer] = Fact()
    database_seats: Fact[dict[str, Any]] = Fact()
    pool_while_held: Fact[dict[str, float]] = Fact()
    read_seconds: Fact[list[float]] = Fact()
    slow_payment: Fact[Future[Answer]] = Fact()
    holdings_before: Fact[Any] = Fact()
    journeys: Fact[Any] = Fact()
    fault_answer: Fact[Answer] = Fact()
    processor_fault: Fact[Any] = Fact()
    redis_pause: Fact[Any] = Fact()
    watched_logs: Fact[Any] = Fact()

    def __init__(self) -> None:
        self.outages: dict[str, Any] = {}  # server -> its fault, healed at cleanup
        self.times_opened: dict[str, int] = {}  # dependency -> how often its circuit was opened before


class TenancyFacts:
    answer: Fact[Answer] = Fact()
    answers: Fact[list[Answer]] = Fact()  # requests sent at the same moment
    attempts: Fact[Any] = Fact()
    records: Fact[dict[str, str]] = Fact()
    records_of: Fact[str] = Fact()
    snapshot: Fact[Any] = Fact()
    sweep: Fact[Any] = Fact()
    owned: Fact[dict[str, Any]] = Fact()
    holdings: Fact[dict[str, Any]] = Fact()
    removal: Fact[Answer] = Fact()
    removed: Fact[dict[str, Any]] = Fact()
    written_meanwhile: Fact[list[Answer]] = Fact()  # what the removed company's people sent as it went
    rights: Fact[Any] = Fact()
    people: Fact[list[dict[str, Any]]] = Fact()
    added: Fact[dict[str, Any]] = Fact()  # the colleague a scenario added by address first

    def __init__(self) -> None:
        self.sessions: dict[str, PlatformApi] = {}  # person -> a session gone bad, as the step made it
        self.tries: list[dict[str, Any]] = []  # each try on another person's thing, with its answer
