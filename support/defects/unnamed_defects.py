"""Defects of classes no check was written for (issue 28, a fourth set): planted to find what the checks that
hold everywhere still let through, before someone else does. Each is a slip a reviewer could pass."""

from __future__ import annotations

import contextlib
import logging
import unicodedata
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, literal, select
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.adapters import outbox as outbox_module
from app.adapters import paging, reports_repository, sign_in_throttle, tables
from app.adapters.approvals_repository import ApprovalsRepository
from app.adapters.assistant_repository import AssistantRepository
from app.adapters.audit_repository import AuditRepository
from app.adapters.billing_repository import BillingRepository
from app.adapters.idempotency_store import IdempotencyStore
from app.adapters.notifications_repository import NotificationsRepository
from app.adapters.open_connections import OpenConnections
from app.adapters.outbox import OutboxSender
from app.adapters.reports_repository import ReportsRepository
from app.adapters.rows import record, records
from app.adapters.sign_in_throttle import SignInThrottle
from app.adapters.tables import assistant_messages, notifications, users
from app.adapters.tenancy_repository import CompaniesDirectory, PeopleRepository
from app.adapters.unit_of_work import UnitOfWork
from app.domain import tickets
from app.domain.clock import utc_now
from app.domain.errors import NotFound, RuleViolation, TooManyAttempts, Unauthenticated
from app.domain.records import Kind
from app.domain.roles import Permission
from app.entrypoints.http import pagination, routes_approvals, routes_assistant, routes_billing, routes_sales
from app.entrypoints.http.head_requests import HeadAnsweredAsGet
from app.entrypoints.http.security_headers import SecurityHeaders
from app.service_layer import (
    assistant_threads,
    billing,
    customer_care,
    exactly_once,
    payments,
    refunds,
    settings,
    tenancy,
)
from app.service_layer.agent_runtime import AgentRuntime
from support.defects.planting import replace


def sign_in_names_the_unknown_address() -> None:
    """A sign-in for an address with no account says so ("no account for this address"), where a wrong password
    says the password was wrong: anyone can learn who has an account."""
    original = tenancy.sign_in

    def sign_in(*args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            return original(*args, **kwargs)
        except Unauthenticated:
            uow = args[0]
            with uow() as u:
                company = u.companies.by_slug(kwargs["company_slug"])
                if company is not None:
                    u.enter(company["id"])
                known = company is not None and u.people.by_email(tenancy.account_email(kwargs["email"])) is not None
            raise Unauthenticated("wrong password" if known else "no account for this address") from None

    replace(tenancy, "sign_in", sign_in)


def failed_sign_in_logs_the_password() -> None:
    """A failed sign-in is logged with the password that was tried, for whoever reads the platform's logs."""
    original = tenancy.sign_in
    log = logging.getLogger("app.tenancy")

    def sign_in(*args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            return original(*args, **kwargs)
        except Unauthenticated:
            log.warning("sign-in refused for %s with password %r", kwargs["email"], kwargs["password"])
            raise

    replace(tenancy, "sign_in", sign_in)


def notifications_listed_for_the_whole_company() -> None:
    """A person's notifications list their colleagues' too: the listing filters by company, not by person."""

    def of_user(self: NotificationsRepository, user_id: uuid.UUID, page: Any) -> list[Any]:
        statement, values = paging.in_making_order(notifications, self._company, None, page)
        return records(self._conn.execute(statement, values).mappings())

    replace(NotificationsRepository, "of_user", of_user)


def deal_moves_audited_as_nobody() -> None:
    """A deal moved to another stage is audited with no actor, as if the platform had moved it."""
    original = AuditRepository.append

    def append(self: AuditRepository, **entry: Any) -> Any:
        if entry.get("action") == "deal_moved":
            entry = {**entry, "actor_id": None}
        return original(self, **entry)

    replace(AuditRepository, "append", append)


def profit_and_loss_counts_the_day_after_its_end() -> None:
    """The profit and loss of a period counts what was invoiced and earned on the day after its last day (the
    period's end read as inclusive, then a day added to it)."""
    original = ReportsRepository.revenue_and_costs

    def revenue_and_costs(self: ReportsRepository, start: Any, end: Any) -> Any:
        return original(self, start, end + timedelta(days=1))

    replace(ReportsRepository, "revenue_and_costs", revenue_and_costs)


def throttled_sign_in_names_no_retry_time() -> None:
    """A sign-in refused for too many failures says when to try again in words only: the answer carries no
    Retry-After for a client to wait by."""

    class WithoutRetryAfter(TooManyAttempts):
        def __init__(self, message: str, *, retry_after: int) -> None:
            super().__init__(message, retry_after=retry_after)
            self.retry_after = 0

    replace(tenancy, "TooManyAttempts", WithoutRetryAfter)


def ageing_counted_in_local_days() -> None:
    """Receivables are aged by the day each falls due in the platform's local time, not in UTC (the open
    invoices' due moments read back in local time): on a machine whose clock is not UTC, money is a day older or
    younger than it is."""
    original = ReportsRepository.open_invoices

    def open_invoices(self: ReportsRepository) -> list[dict[str, Any]]:
        return [{**row, "due_at": row["due_at"].astimezone()} for row in original(self)]

    replace(ReportsRepository, "open_invoices", open_invoices)


def sign_in_counted_once_found_wrong() -> None:
    """A sign-in is counted against its account only once its password was found wrong (the platform's own
    code until 2026-12-06): attempts sent together all pass the check before any is counted."""

    def admit(self: SignInThrottle, company_slug: str, email: str, source: str) -> int:
        keys = self._keys(company_slug, email, source)
        counts = self._client.mget(keys)
        full = [
            k
            for k, n, limit in zip(keys, counts, (self.per_account, self.per_source), strict=True)
            if n and int(n) >= limit
        ]
        return max((max(int(self._client.ttl(key)), 1) for key in full), default=0)

    original = tenancy.sign_in

    def sign_in(uow: Any, signer: Any, throttle: SignInThrottle, **given: Any) -> dict[str, Any]:
        try:
            return original(uow, signer, throttle, **given)
        except Unauthenticated:
            for key in throttle._keys(given["company_slug"], given["email"], given["source"]):
                if throttle._client.incr(key) == 1:
                    throttle._client.expire(key, throttle.window_seconds)
            raise

    replace(SignInThrottle, "admit", admit)
    replace(tenancy, "sign_in", sign_in)


def refunds_not_serialised() -> None:
    """A refund reads its invoice without locking it: refunds of one payment sent together each see what was
    refunded before any of them, and together give back more than the payment brought in."""

    replace(refunds, "locked_invoice", _invoice_unlocked)


def void_not_serialised_with_payments() -> None:
    """Voiding (and issuing) reads the invoice without locking it: a void sent while payments arrive sees
    nothing paid, waits for them, then voids an invoice that has money on it."""

    replace(billing, "locked_invoice", _invoice_unlocked)


def unserved_paths_unprotected() -> None:
    """The protective headers go only on answers of an operation the platform has: a path it does not serve is
    answered without them (as when they are set by the routes rather than around them)."""
    original = SecurityHeaders.__call__
    protective = {b"x-content-type-options", b"x-frame-options", b"content-security-policy", b"referrer-policy"}

    async def __call__(self: SecurityHeaders, scope: Any, receive: Any, send: Any) -> None:
        async def only_when_routed(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and "route" not in scope:
                kept = [(n, v) for n, v in message.get("headers", []) if n.lower() not in protective]
                message = {**message, "headers": kept}
            await send(message)

        await original(self, scope, receive, only_when_routed if scope["type"] == "http" else send)

    replace(SecurityHeaders, "__call__", __call__)


def idempotency_key_not_held() -> None:
    """A payment's Idempotency-Key is never held while its request runs: copies sent together each find no
    stored result and each try the payment, the database refusing all but the first as a conflict."""
    replace(IdempotencyStore, "lock", lambda self, key: True)


def role_changes_not_serialised() -> None:
    """A change of role trusts the rights its caller had when the request began (the platform's own code until
    2026-12-06): two owners taking each other's role at the same moment are both let through."""

    def roles_read_unheld(self: PeopleRepository, *user_ids: uuid.UUID) -> dict[uuid.UUID, str]:
        return {user_id: person["role"] for user_id in user_ids if (person := self.get(user_id)) is not None}

    replace(PeopleRepository, "roles_held_for_change", roles_read_unheld)


def removal_refused_by_writes_meanwhile() -> None:
    """A company's removal empties its tables once (the platform's own code until 2026-12-06): a record its
    people write meanwhile, after its table was emptied, makes the company's own row impossible to remove, and
    the operator is told the removal clashed."""
    replace(CompaniesDirectory, "remove_company", CompaniesDirectory._every_row_removed)


def head_refused() -> None:
    """A HEAD request goes to the routes as it came, and only GET routes are there: refused 405 where its GET
    is answered (FastAPI's own way)."""

    async def __call__(self: HeadAnsweredAsGet, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)

    replace(HeadAnsweredAsGet, "__call__", __call__)


def forwarded_address_believed_from_anyone() -> None:
    """Every client is taken for a proxy of the platform's (uvicorn's ``--forwarded-allow-ips '*'``, the
    usual advice behind a load balancer): the address a request claims to pass on for is its source, and one
    address guessing passwords is counted as a thousand."""
    original = ProxyHeadersMiddleware.__init__

    def __init__(self: ProxyHeadersMiddleware, app: Any, trusted_hosts: Any = "127.0.0.1") -> None:
        original(self, app, trusted_hosts="*")

    replace(ProxyHeadersMiddleware, "__init__", __init__)


def restore_revives_sessions() -> None:
    """A restore writes the company back as its backup holds it, sessions and all (the platform's own code until
    2026-12-06): a session signed out since the backup is honoured again, as is every token of its people."""
    replace(CompaniesDirectory, "end_sessions", lambda self, company_id: None)


def client_look_up_drops_wildcards() -> None:
    """The client look-up takes the wildcards (``%``, ``_``) and backslashes out of the name it is asked for
    (the platform's own code until 2026-12-06): "100% Pure" is looked up as "100 Pure", and not found."""

    def holding(column: Any, text: str) -> Any:
        return column.ilike("%" + text.replace("\\", "").replace("%", "").replace("_", "") + "%")

    replace(reports_repository, "holding", holding)


def one_address_added_twice_at_once_told_a_clash() -> None:
    """A person is written as if the address's check before still held (the platform's own code until
    2026-12-06): additions of one address sent together each pass the check, and all but one are refused by
    the database as a clash (409 `conflict`), not as the address being taken."""

    def add(self: PeopleRepository, **fields: Any) -> Any:
        row = {"id": uuid.uuid4(), "tenant_id": self._company, "created_at": utc_now(), **fields}
        return records(self._conn.execute(insert(users).values(**row).returning(*users.c)).mappings())[0]

    replace(PeopleRepository, "add", add)


def removal_done_twice() -> None:
    """A company's removal asks whether the company is there, then removes whatever it finds (the platform's
    own code until 2026-12-06): two removals sent together are both told it was removed."""

    def remove_company(uow: Any, cache: Any, company_id: uuid.UUID) -> dict[str, int]:
        with uow(company=company_id) as u:
            if u.companies.by_id(company_id) is None:
                raise NotFound("tenant not found")
            removed: dict[str, int] = u.companies.remove_company(company_id)
            u.sessions_changed(None)
        tenancy.forget_company(cache, company_id)
        return removed

    replace(tenancy, "remove_company", remove_company)


def conversation_given_whole() -> None:
    """Every earlier message of a conversation is given to the model with a new question, however long the
    conversation has grown (the platform's own code until 2026-12-06)."""

    def latest_messages(self: AssistantRepository, thread_id: uuid.UUID, count: int) -> Any:
        return self.messages(thread_id)[::-1]

    replace(AssistantRepository, "latest_messages", latest_messages)
    replace(assistant_threads, "remembered", lambda latest_first, memory: list(latest_first)[::-1])


def connections_unbounded() -> None:
    """A person may open as many assistant connections on an instance as they like (the platform's own code until
    2026-12-06): one person could take every connection an instance can hold."""
    replace(OpenConnections, "take", lambda self, company_id, user_id: True)


def one_persons_runs_take_every_turn() -> None:
    """An instance works on as many of one person's questions at once as it has places (the platform's own code
    until 2026-12-06): one person's many questions keep everyone else's waiting."""

    @contextlib.asynccontextmanager
    async def every_turn(self: AgentRuntime, principal: Any) -> AsyncIterator[None]:
        yield

    replace(AgentRuntime, "_persons_turn", every_turn)


def analytics_kept_after_removal() -> None:
    """A company's removal, or its restore, leaves the analytics store as it was (the platform's own code until
    2026-12-06): a removed company's events stay there for good, and a restored one's old events stand beside its
    restored trail's, its new ones not copied until their number passes the old."""
    replace(CompaniesDirectory, "copy_analytics_again", lambda self, company_id: None)


def mail_subject_as_the_name_holds_it() -> None:
    """An e-mail's subject is written as the client's name holds it (the platform's own code until 2026-12-06): a
    name with a line separator (U+2028) cannot be a header, and the sender of then, failing on it, stopped every
    company's mail and sent the earlier ones of its batch again at each round."""
    original = OutboxSender._email

    def _email(self: OutboxSender, message: dict[str, Any]) -> Any:
        email = original(self, message)
        del email["Subject"]
        email["Subject"] = message["subject"]
        return email

    replace(OutboxSender, "_email", _email)


def conversation_answered_whole() -> None:
    """A conversation is answered with every message it holds, whatever page was asked for (the platform's own
    code until 2026-12-06): a conversation of thousands of long messages is megabytes in one answer."""

    def messages(self: AssistantRepository, thread_id: uuid.UUID, *, page: Any) -> list[Any]:
        statement, values = paging.in_making_order(assistant_messages, self._company, {"thread_id": thread_id})
        return records(self._conn.execute(statement, values).mappings())

    replace(AssistantRepository, "messages", messages)


def void_invoice_still_mailed() -> None:
    """An invoice voided while its e-mail waits (the mail server away) is mailed all the same once the server is back
    (the platform's own code until 2026-12-06): its client receives an invoice that no longer stands."""
    replace(outbox_module.OutboxRepository, "withdraw", lambda self, about: 0)
    replace(outbox_module, "_ABOUT_A_VOID_INVOICE", literal(False).label("about_a_void_invoice"))


def ticket_answer_overwritten() -> None:
    """A ticket's answer is written over by the next one and the trail says only that it was answered (the
    platform's own code until 2026-12-06): what the client was told before is nowhere."""

    def answer_ticket(uow: Any, principal: Any, ticket_id: uuid.UUID, *, answer: str) -> dict[str, Any]:
        return customer_care._ticket_change(
            uow,
            principal,
            ticket_id,
            "ticket_answered",
            tickets.ensure_can_answer,
            answer=answer,
            status=tickets.TicketStatus.ANSWERED.value,
        )

    replace(customer_care, "answer_ticket", answer_ticket)


def held_payment_outlives_its_void_invoice() -> None:
    """A payment held for approval stays pending when its invoice is voided (the platform's own code until
    2026-12-06): the approver's queue holds a request nobody can approve (409) for good."""
    replace(ApprovalsRepository, "withdraw_held_payments", lambda self, invoice_id, reason: [])


def approval_threshold_never_removed() -> None:
    """A setting sent as null is taken as not given (the platform's own code until 2026-12-06): an owner removing the
    approval threshold is answered that the settings were changed, nothing changes, and deals and payments above it
    wait for approval for good."""
    original = settings.change_settings

    def change_settings(uow: Any, principal: Any, values: dict[str, Any]) -> Any:
        return original(uow, principal, {name: value for name, value in values.items() if value is not None})

    replace(settings, "change_settings", change_settings)


def _invoice_unlocked(u: Any, invoice_id: uuid.UUID) -> Any:
    """``billing.locked_invoice`` without its lock: the invoice as the transaction first sees it."""
    invoice = u.billing.invoice(invoice_id)
    if invoice is None:
        raise NotFound("invoice not found")
    return invoice


def void_invoices_counted_as_billed() -> None:
    """The reports count a void invoice as billed, as if voiding it had not taken it back."""
    replace(reports_repository, "BILLED", (*reports_repository.BILLED, "void"))


def conversation_looked_up_by_company() -> None:
    """A conversation is looked up by its company and its id: the condition naming its person was dropped, so a
    colleague reads it, archives it and asks in it (a list of one's own still lists one's own)."""

    def thread(self: AssistantRepository, user_id: uuid.UUID, thread_id: uuid.UUID) -> Any:
        threads = tables.assistant_threads
        query = select(threads).where(threads.c.tenant_id == self._company, threads.c.id == thread_id)
        row = self._conn.execute(query).mappings().first()
        return record(row) if row else None

    replace(AssistantRepository, "thread", thread)


def approvals_listed_whatever_their_status() -> None:
    """The approvals' listing takes its status filter and never passes it on: asked for the pending ones, it lists
    every approval of the company (those decided and withdrawn among them)."""
    original = ApprovalsRepository.listed

    def listed(self: ApprovalsRepository, *, status: str | None, page: Any) -> Any:
        return original(self, status=None, page=page)

    replace(ApprovalsRepository, "listed", listed)


def held_payment_kept_without_its_key() -> None:
    """A payment held for approval is answered without its result kept under its Idempotency-Key: sent again, it
    is held again, a second request for approval of the same payment in the approver's queue."""

    def run_once(uow: Any, company_id: Any, key: str, request: Any, work: Any, *, keep: Any, restore: Any) -> Any:
        request_print = exactly_once.fingerprint(request)
        with uow(company=company_id) as u:
            u.idempotency.lock(key)
            stored = u.idempotency.stored(key)
            if stored is not None and stored.fingerprint != request_print:
                raise RuleViolation("idempotency_key_reused", "used with a different request", field="Idempotency-Key")
            if stored is not None:
                return restore(stored.result)
            result = work(u)
            if result.held is None:
                u.idempotency.store(key, request_print, keep(result))
            return result

    replace(payments, "run_once", run_once)


def next_page_a_record_early() -> None:
    """A listing's next page begins after the second-to-last record of a full page, not its last: the last record
    of every page is listed again at the top of the next (a scenario reading one page never sees it)."""

    def paged(rows: list[Any], page: Any, request: Any, response: Any) -> list[Any]:
        if len(rows) == page.limit and rows:
            url = request.url.include_query_params(after=pagination.cursor_of(rows[-2] if len(rows) > 1 else rows[0]))
            response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'
        return rows

    for module in (pagination, routes_approvals, routes_assistant, routes_billing, routes_sales):
        replace(module, "paged", paged)


def address_domain_as_typed() -> None:
    """An address's domain is stored and compared as it was typed (the platform's own code until 2026-12-07):
    ``bücher.example`` and its ASCII spelling ``xn--bcher-kva.example`` were two accounts for one mailbox, and the
    person signed in only as they were added."""

    def as_typed(address: str) -> str:
        return unicodedata.normalize("NFKC", address).casefold()

    replace(tenancy, "account_email", as_typed)
    replace(sign_in_throttle, "account_email", as_typed)


def payment_right_checked_once_per_key() -> None:
    """A payment's right is checked within the work done once per Idempotency-Key, after the key is looked up:
    sent again with a key already used, the answer kept under it is given to anyone of the company, whatever their
    role (a finance person's payment, its card and amount, shown to a salesperson who has the key)."""

    def take_payment(
        uow: Any, gateway: Any, principal: Any, *, invoice_id: Any, amount: Any, card_token: str, idempotency_key: str
    ) -> Any:
        def work(u: Any) -> Any:
            principal.require(Permission.TAKE_PAYMENTS)
            return payments.charge_and_record(
                u, gateway, principal, invoice_id=invoice_id, amount=amount, card_token=card_token, key=idempotency_key
            )

        return exactly_once.run_once(
            uow,
            principal.company_id,
            idempotency_key,
            {"invoice": invoice_id, "amount": f"{amount:.2f}", "card": card_token},
            work,
            keep=payments.PaymentResult.kept,
            restore=payments.PaymentResult.restored,
        )

    replace(payments, "take_payment", take_payment)


def payment_key_filed_under_its_person() -> None:
    """A payment's Idempotency-Key is kept under the person who sent it, not under the company: a colleague who
    sends the same request again (its first answer lost) has it taken as a new payment."""
    original = payments.take_payment

    def take_payment(uow: Any, gateway: Any, principal: Any, *, idempotency_key: str, **request: Any) -> Any:
        return original(uow, gateway, principal, idempotency_key=f"{principal.user_id}:{idempotency_key}", **request)

    replace(payments, "take_payment", take_payment)


def payment_moves_the_due_date() -> None:
    """Money taken on an invoice (or given back) dates its due date again from that day: the client is given its
    payment terms anew each time they pay part of it."""
    original = BillingRepository.change_invoice

    def change_invoice(self: BillingRepository, invoice_id: uuid.UUID, **fields: Any) -> None:
        if "amount_paid" in fields:
            fields["due_at"] = func.now() + func.make_interval(0, 0, 0, tables.invoices.c.payment_terms_days)
        original(self, invoice_id, **fields)

    replace(BillingRepository, "change_invoice", change_invoice)


def drafts_counted_as_billed() -> None:
    """The reports count every invoice but a void one as billed: a draft nobody was sent is invoiced and
    outstanding."""
    replace(reports_repository, "BILLED", ("draft", *reports_repository.BILLED))


def payment_answer_owes_what_it_owed_before() -> None:
    """A payment's answer says what was due on the invoice before it, not after it: a client paying the rest is
    told the invoice is paid with the whole rest still due."""
    original = payments.take_payment

    def take_payment(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if result.payment is not None:
            owed = Decimal(str(result.payment["amount_due"])) + Decimal(str(result.payment["amount"]))
            result.payment["amount_due"] = owed  # a replay's kept answer holds text: an amount either way
        return result

    replace(payments, "take_payment", take_payment)


def void_invoices_left_out_of_the_list() -> None:
    """The invoices' listing leaves void invoices out (a condition meant for the receivables): a voided invoice
    can no longer be found, though it is read by its id."""

    def invoices(self: BillingRepository, page: Any) -> list[Any]:
        statement, values = paging.in_making_order(tables.invoices, self._company, page=page)
        listed = statement.where(tables.invoices.c.status != "void")
        return records(self._conn.execute(listed, values).mappings())

    replace(BillingRepository, "invoices", invoices)


def notice_names_the_deal_for_its_project() -> None:
    """The note telling a seller their kick-off tasks are assigned names the deal they won where it says it is
    about the project: a reader following it opens a project that does not exist."""
    original = UnitOfWork.notify

    def notify(
        self: UnitOfWork, user_id: uuid.UUID, *, kind: str, text: str, subject_type: str, subject_id: object
    ) -> Any:
        if kind == "tasks_assigned":
            project = self.sales.get(Kind.PROJECTS, subject_id)
            subject_id = project["opportunity_id"] if project else subject_id
        return original(self, user_id, kind=kind, text=text, subject_type=subject_type, subject_id=subject_id)

    replace(UnitOfWork, "notify", notify)


def undeliverable_mail_told_to_nobody() -> None:
    """An e-mail is queued without the person whose action queued it (the platform's own code until 2026-12-07): one
    the client's mail server refuses for good is set aside and logged, and the invoice's issuer believes it arrived."""
    original = outbox_module.OutboxRepository.enqueue

    def enqueue(self: Any, *, to_address: str, subject: str, body: str, about: Any = None, by: Any = None) -> None:
        original(self, to_address=to_address, subject=subject, body=body, about=about)

    replace(outbox_module.OutboxRepository, "enqueue", enqueue)
