"""The checks that hold everywhere, run after every step of every scenario.

A scenario checks what it was written to check; these rules hold for every
exchange whatever the scenario is about. After each step's own work, what the
HTTP and chat clients recorded since the step before is checked by every rule;
a violation fails that step (an AssertionError, as a failed check), naming the
rule, the step and the exchange. Some rules send requests of their own first:
the step's requests naming a record by its id, sent again by outsiders
(``strangers``), its payments and refunds sent again with their keys
(``replays``), and the scenario's first question followed by outsiders
(``runs_followed``). The last step of a scenario also runs the checks that
need the whole scenario (every refusal of the assistant, and every refusal for
want of a permission, that was seen is in its company's audit trail; every
write too; the cache's keys; every company's books balance; every id its people
were shown naming a record is one of the company's, of that kind), has the first
question followed by a colleague signed in for it when none was signed in as it
was asked, sends each request kept under its Idempotency-Key again by a
colleague with its right (``replays``), and sends every operation needing a
right that was let through again by a colleague whose role lacks it
(``roles_refused``), sends each operation no scenario of the run has had tried
again by its person over a session that has ended (``ended_sessions``), and has
each company's owner read its reports, which must agree with the records they
sum (``reports_agree``), its listings whole, which must list every record its
people were shown (``listed``), and last its analytics, which must agree with
its records once the store has caught up (``analytics_agree``). What the
requests sent again changed, and what their answers break of the rules of every
answer, fail the step as a person's would (``RowWatch``,
``answers.whoever_asked``). A finding quotes no secret: the platform's keys, and
every password hash, card token and access token, are masked in it.

``guard_every_step`` is called once by environment.py; ``step_starts`` by its
``before_step`` hook.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import psycopg
import requests
from behave.matchers import Match

from support.clients.exchanges import Frame, HttpExchange, Recorder, current, take_evidence
from support.clients.paths import Assistant
from support.invariants import (
    activity_agrees,
    analytics_agree,
    answers,
    audited_denials,
    audited_refusals,
    audited_writes,
    books,
    cache_keys,
    campaigns_agree,
    crashes,
    ended_sessions,
    mailed,
    replays,
    reports_agree,
    roles_refused,
    runs_followed,
    strangers,
    sums,
    trails,
)
from support.invariants import (
    frames as frame_rules,
)
from support.invariants.as_written import as_written_of
from support.invariants.histories import histories_of
from support.invariants.isolation import watch_of
from support.invariants.links import links_of
from support.invariants.listed import Reader, shown_of
from support.invariants.logged_secrets import masked
from support.invariants.references import entries_astray, named_of
from support.report.evidence import attach_exchanges
from support.scenario.builders import email_for
from support.scenario.personas import OWNER_PERSONA, SALES_PERSONA

SHOWN = 300  # characters of an exchange shown in a violation


def step_starts(context: Any, step: Any) -> None:
    """Notes the step about to run (what the recorder files exchanges under, and whether it is the last)."""
    recorder = current()
    if recorder is not None:
        recorder.step = f"{step.keyword} {step.name}"
        world = getattr(context, "world", None)
        if world is not None:  # the instances' logs followed from the scenario's first step
            crashes.watch_of(recorder.state, world.inspectors.config.platform_logs)
        scenario = getattr(context, "scenario", None)
        context.last_step_runs = scenario is not None and list(scenario.all_steps)[-1] is step


def violations(context: Any) -> list[str]:
    """Every rule broken by what was recorded since the last check, in a reviewer's words."""
    recorder = current()
    world = getattr(context, "world", None)
    if recorder is None or world is None:
        return []
    http, frames = recorder.unchecked()
    config = world.inspectors.config
    recorder.keys = _secrets(config)  # what the checks' own answers are held to as well
    stranger = getattr(context, "stranger", None)
    found = strangers.attempts(recorder, http, config.platform_url or "", stranger, _colleague_of(world))
    found += replays.replays(recorder, http, config.platform_url or "", _token_of(world))
    found += runs_followed.attempts(
        recorder,
        frames,
        _socket_url(config),
        stranger,
        # a colleague already signed in: a sign-in while a question works may wait on what the question holds
        lambda company, person: _colleague(world, company, person, sign_in=False),
    )
    roles_refused.note(recorder, http)
    ended_sessions.note(recorder, http)
    shown_of(recorder.state).note(http)
    named_of(recorder.state).note(http)
    found += broken_by(recorder, http, frames, recorder.keys, config.platform_logs)
    found += watch_of(recorder.state).leaks(http, frames, _slugs(world))
    found += recorder.problems
    recorder.problems.clear()
    if getattr(context, "last_step_runs", False):
        found += at_the_end(world, recorder)
    return [masked(problem, recorder.keys) for problem in found]  # a finding quoting an answer shows no secret


def at_the_end(world: Any, recorder: Recorder) -> list[str]:
    """The checks that need the whole scenario, run at its last step; the requests some of them send again are
    watched as any (``RowWatch``: what they changed is in ``recorder.problems``)."""
    config = world.inspectors.config
    found: list[str] = []
    found += audited_refusals.missing(world, recorder)
    found += audited_denials.missing(world, recorder)
    found += audited_writes.missing(world, recorder)
    found += _misfiled_cache_keys(world)
    found += [
        f"the books of {company.slug} do not balance: {problem}"
        for company in _companies(world)
        for problem in books.unbalanced(world.db, world.processor, company.id)
    ]
    found += _references_dangling(world, recorder)
    found += mailed.of_companies(
        world,
        _companies(world),
        restored=named_of(recorder.state).restored,
        dates_moved=bool(recorder.rewritten),
        interrupted=bool(recorder.interrupted),
    )
    if not world.records_held:  # after the checks that read the trails: each refusal is in one now
        found += runs_followed.followed_late(
            recorder, _socket_url(config), lambda company, person: _colleague(world, company, person)
        )
        found += replays.by_colleagues(recorder, config.platform_url or "", lambda c, name: _persona(world, c, name))
        found += roles_refused.attempts(recorder, config.platform_url or "", lambda c, name: _persona(world, c, name))
        found += ended_sessions.attempts(
            recorder,
            config.platform_url or "",
            lambda c, name: _signed_out(world, config.platform_url or "", c, name),
            config.token_secret,
            lambda c, name: _held_token(world, c, name),
        )
        found += _reports_disagreeing(world, config, recorder)
        found += _activity_disagreeing(world, config, recorder)
        found += _campaigns_disagreeing(world, config)
        lacking = _listings_lacking(world, recorder)
        more_http, more_frames = recorder.unchecked()  # the owners' reads: checked as every answer is
        lacking += broken_by(recorder, more_http, more_frames, recorder.keys, config.platform_logs)
        read = take_evidence()
        if lacking:  # the reads are the report's evidence only when they found something: it stays small
            attach_exchanges(read)
        found += lacking
        found += _analytics_disagreeing(world, config, recorder)  # last: the store is fed a moment after a write
    found += recorder.problems  # what the requests sent again at the last step changed (``RowWatch``)
    recorder.problems.clear()
    return found


def broken_by(
    recorder: Recorder, http: list[HttpExchange], frames: list[Frame], secrets: tuple[str, ...], logs: str | None
) -> list[str]:
    """The rules over each answer and frame, the links between records and the instances' logs (``logs``:
    their paths), whoever drives the platform: a scenario's steps, or the API explored as a state machine."""
    http_rules = (
        *answers.whoever_asked(secrets),
        answers.lists_oldest_first,
        answers.lists_what_was_asked,
        answers.pages_follow_on,
        answers.money_actions_say_how_much,
        answers.entries_say_what_they_must,
        answers.money_and_moments_alike,
        sums.amounts_add_up,
    )
    found = [
        f"the answer to {x.method} {x.path} (by {x.caller}, {x.status}) {problem}"
        for x in http
        for rule in http_rules
        for problem in rule(x)
    ]
    found += [problem for frame in frames for problem in frame_rules.broken_by(frame, secrets)]
    found += links_of(recorder.state).disagreements(http)
    found += histories_of(recorder.state).rewrites(http, recorder.rewritten)
    found += as_written_of(recorder.state).disagreements(http, recorder.rewritten)
    found += crashes.watch_of(recorder.state, logs).failures(secrets, recorder.passwords_sent())
    return found


def _secrets(config: Any) -> tuple[str, ...]:
    return tuple(s for s in (config.admin_key, config.token_secret) if s)


def _misfiled_cache_keys(world: Any) -> list[str]:
    """The scenario's people (by the id each signed in with) against every key in the cache; nothing when there
    is no cache to read (none given, or stopped by the scenario)."""
    companies = _companies(world)
    people = {actor.user_id: company.id for company in companies for actor in company.actors.values()}
    keys = world.cache.names() if companies else None
    return cache_keys.misfiled(keys, people, [company.id for company in companies]) if keys is not None else []


def _colleague_of(world: Any) -> Callable[[HttpExchange], tuple[str, str] | None]:
    """For an exchange: a colleague of its caller (``_colleague``)."""
    return lambda exchange: _colleague(world, exchange.company, exchange.caller)


def _colleague(world: Any, company_id: str | None, person: str, *, sign_in: bool = True) -> tuple[str, str] | None:
    """A colleague of ``person`` of the company ``company_id`` (their name and token): one the scenario has
    signed in, else (``sign_in``) the company's owner (or, when the owner is the person, a salesperson) signed in
    for it."""
    for company in _companies(world):
        if company.id == company_id:
            others = [actor for name, actor in company.actors.items() if name != person]
            if not others and sign_in:
                found = _signed_in(company, OWNER_PERSONA if person != OWNER_PERSONA else SALES_PERSONA)
                others = [found] if found else []
            if not others:
                return None
            return others[0].name, others[0].token
    return None


def _persona(world: Any, company_id: str, name: str) -> tuple[str, str] | None:
    """The persona ``name`` of the company ``company_id`` (their name and token), signed in for it if the scenario
    has not; None when they cannot be signed in now."""
    for company in _companies(world):
        if company.id == company_id:
            actor = _signed_in(company, name)
            return (name, actor.token) if actor else None
    return None


def _signed_out(world: Any, platform_url: str, company_id: str, name: str) -> str | None:
    """A session of the persona ``name`` of the company ``company_id``, signed in anew and then out (its token);
    None when they cannot be now."""
    for company in _companies(world):
        if company.id == company_id and name in company.passwords:
            email = email_for(name, company.slug)
            return ended_sessions.signed_in_and_out(platform_url, company.slug, email, company.passwords[name])
    return None


def _held_token(world: Any, company_id: str | None, name: str) -> str | None:
    """The session of the persona ``name`` of the company ``company_id`` the scenario holds (None: none)."""
    for company in _companies(world):
        if company.id == company_id and name in company.actors:
            return str(company.actors[name].token)
    return None


def _reports_disagreeing(world: Any, config: Any, recorder: Recorder) -> list[str]:
    """Each company's reports, read by its owner, against its rows; those by month only when the harness moved no
    record's date itself."""
    of_company = partial(reports_agree.of_company, monthly=not recorder.rewritten)
    return _read_by_owners(world, config, reports_agree.reader, of_company)


def _campaigns_disagreeing(world: Any, config: Any) -> list[str]:
    """Each company's campaign returns, read by its owner, against its records."""
    return _read_by_owners(world, config, campaigns_agree.reader, campaigns_agree.of_company)


def _activity_disagreeing(world: Any, config: Any, recorder: Recorder) -> list[str]:
    """Each company's activity, read by its owner day by day, against its trail; none once the harness moved a
    record's date itself."""
    if recorder.rewritten:
        return []
    return _read_by_owners(world, config, activity_agrees.reader, activity_agrees.of_company)


def _analytics_disagreeing(world: Any, config: Any, recorder: Recorder) -> list[str]:
    """Each company's analytics, read by its owner, against its records; none when the harness wrote records
    itself (they have no trail)."""
    if recorder.rewritten:
        return []
    return _read_by_owners(world, config, analytics_agree.reader, analytics_agree.of_company)


def _read_by_owners(
    world: Any, config: Any, reader: Callable[[str, str], Any], of_company: Callable[..., list[str]]
) -> list[str]:
    """What ``of_company`` finds of each company, its figures read by its owner (``reader`` given the platform and
    their session; signed in for it when the scenario has not)."""

    def owner_reads(company: Any) -> Any:
        owner = _signed_in(company, OWNER_PERSONA)
        return reader(config.platform_url, owner.token) if owner and config.platform_url else None

    return [
        problem
        for company in _companies(world)
        for problem in of_company(world.db, partial(owner_reads, company), company.slug, company.id)
    ]


def _references_dangling(world: Any, recorder: Recorder) -> list[str]:
    """The ids each company's people were shown naming a record, against the company's rows in the database."""
    named = named_of(recorder.state)
    found = []
    for company in _companies(world):
        try:
            rows = world.db.company_fingerprint(company.id) if world.db.available else None
        except psycopg.Error:  # the scenario stopped the database: no claim
            rows = None
        found += named.dangling(company.id, company.slug, rows)
        if rows and not named.restored:
            found += [
                problem
                for _, entries in trails.readable(world, [company.id])
                for problem in entries_astray(entries, company.id, company.slug, rows)
            ]
    return found


def _listings_lacking(world: Any, recorder: Recorder) -> list[str]:
    """Each company's listings, read whole by its owner (signed in for it when the scenario has not), against the
    records its people were shown."""

    def owner_reads(company: Any) -> Reader | None:
        owner = _signed_in(company, OWNER_PERSONA)
        return (lambda path, query: owner.api.get(path, **query)) if owner else None

    shown = shown_of(recorder.state)
    return [
        problem
        for company in _companies(world)
        for problem in shown.missing(company.id, company.slug, partial(owner_reads, company))
    ]


def _signed_in(company: Any, name: str) -> Any | None:
    """The company's persona ``name``, signed in for it when the scenario has not; None when nobody can sign in
    now (no claim)."""
    try:
        return company.actor(name)
    except (AssertionError, requests.RequestException):
        return None


def _socket_url(config: Any) -> str:
    """The assistant's socket on the run's first instance ('': none known)."""
    urls = config.instance_urls
    return urls[0].replace("http", "ws", 1) + Assistant.SOCKET if urls else ""


def _token_of(world: Any) -> Callable[[HttpExchange], str | None]:
    """The session of an exchange's caller the scenario holds (None: none of theirs)."""
    return lambda exchange: _held_token(world, exchange.company, exchange.caller)


def _slugs(world: Any) -> dict[str, str]:
    return {company.id: company.slug for company in _companies(world)}


def _companies(world: Any) -> list[Any]:
    """The scenario's companies (its own first, once provisioned)."""
    return [world.home, *world.others.values()] if world.home is not None else list(world.others.values())


def guard_every_step() -> None:
    """Makes every step, once its own work is done, check the rules that hold everywhere."""
    if getattr(Match.run, "guarded", False):
        return
    run_step = Match.run

    def run(self: Match, context: Any) -> None:
        try:
            run_step(self, context)
        finally:
            attach_exchanges(take_evidence())
        broken = violations(context)
        if broken:
            raise AssertionError(
                "a rule that holds in every scenario was broken during this step:\n  - " + "\n  - ".join(broken)
            )

    run.guarded = True  # type: ignore[attr-defined]
    Match.run = run  # type: ignore[method-assign]
