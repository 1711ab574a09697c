"""Defects of the classes no single scenario was written for (issue 28): each must be caught by the checks
that hold in every scenario, or by a rule tried in every direction."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import field_serializer
from sqlalchemy import func, select

from app.adapters import tenancy_repository
from app.adapters.audit_repository import AuditRepository
from app.adapters.company_cache import company_prefix
from app.adapters.rate_limiter import RunRateLimiter
from app.adapters.reports_repository import ReportsRepository
from app.adapters.sign_in_throttle import SignInThrottle
from app.adapters.tables import invoices
from app.domain import invoicing
from app.domain.errors import PaymentDeclined, Unauthenticated
from app.domain.roles import Role
from app.entrypoints.http import errors, security_headers
from app.entrypoints.http.schemas import compliance
from app.service_layer import approval_requests, assistant_threads, assistant_tools, exactly_once, sales, tenancy
from app.service_layer.agent_runtime import AgentRuntime
from app.service_layer.principal import Principal
from support.defects.planting import replace


def held_payment_shows_its_card() -> None:
    """An approval request shows what it holds, the card token of the payment waiting for approval included."""

    class ApprovalOut(compliance.ApprovalOut):
        payload: dict[str, Any] | None = None

    replace(compliance, "ApprovalOut", ApprovalOut)


def payment_key_names_no_invoice() -> None:
    """A payment's Idempotency-Key is compared with the amount and the card only: the same key on another
    invoice replays the first invoice's payment."""
    original = exactly_once.fingerprint

    def fingerprint(payload: dict[str, Any]) -> str:
        return original({name: value for name, value in payload.items() if name != "invoice"})

    replace(exactly_once, "fingerprint", fingerprint)


def payment_key_names_no_amount() -> None:
    """A payment's Idempotency-Key is compared with the invoice and the card only: the same key for another amount
    is given the first payment back, as if that amount had been taken."""
    original = exactly_once.fingerprint

    def fingerprint(payload: dict[str, Any]) -> str:
        return original({name: value for name, value in payload.items() if name != "amount"})

    replace(exactly_once, "fingerprint", fingerprint)


def colleague_cancels_a_run() -> None:
    """Cancelling a question checks that it runs in the caller's company, not that it is the caller's."""

    async def cancel(self: AgentRuntime, principal: Any, run_id: str) -> bool:
        run = self._runs.get(run_id)
        if run is not None and run.principal.company_id == principal.company_id:
            return self._cancel_here({"run_id": run_id, "user_id": str(run.principal.user_id)})
        owner = await self._stream.owner(principal.company_id, run_id)
        if owner is None or not await self._stream.running(principal.company_id, run_id):
            return False
        await self._fanout.request_cancel({"run_id": run_id, "user_id": owner})
        return True

    replace(AgentRuntime, "cancel", cancel)


def empty_answers_unprotected() -> None:
    """Answers with no body (204: a sign-out, a removal) leave without the protective headers."""
    original = security_headers._with_headers

    def _with_headers(send: Any, extra: Any) -> Any:
        protected = original(send, extra)

        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and message["status"] == 204:
                await send(message)
            else:
                await protected(message)

        return sending

    replace(security_headers, "_with_headers", _with_headers)


def sign_in_throttle_counts_the_address_as_typed() -> None:
    """Failed sign-ins are counted per address as it was typed: the same account in capitals is counted apart."""

    def _keys(company_slug: str, email: str, source: str) -> list[str]:
        return [f"platform:sign-in:account:{company_slug}\0{email}", f"platform:sign-in:source:{source}"]

    replace(SignInThrottle, "_keys", staticmethod(_keys))


def refusal_names_no_field() -> None:
    """A refused field is not named when the body is malformed: the error says what is wrong but not where."""
    from app.entrypoints.http import errors

    original = errors.error_body

    def error_body(code: str, message: str, field: str | None = None) -> dict:
        return original(code, message, None if code == "validation_error" else field)

    replace(errors, "error_body", error_body)


def refused_payment_keeps_its_key() -> None:
    """A payment refused by a rule (more than is due, a void invoice) still takes up its Idempotency-Key: the
    refusal is stored in a transaction of its own, so the same key can never pay."""
    from app.adapters.unit_of_work import UnitOfWork
    from app.domain.errors import RuleViolation

    original = exactly_once.run_once

    def run_once(uow: Any, company_id: Any, key: str, request: Any, work: Any, *, keep: Any, restore: Any) -> Any:
        try:
            return original(uow, company_id, key, request, work, keep=keep, restore=restore)
        except RuleViolation as refused:
            if refused.code != "idempotency_key_reused":  # on a connection of its own: the request's rolls back
                with uow(company=company_id) as shared, shared.conn.engine.begin() as own:
                    keys = UnitOfWork(own, company=company_id).idempotency
                    if keys.stored(key) is None:
                        keys.store(key, exactly_once.fingerprint(request), {"refused": refused.code})
            raise

    from app.service_layer import payments

    replace(payments, "run_once", run_once)


def people_listed_by_id() -> None:
    """A company's people are listed by their ids (random), not in the order they joined, which the contract
    says."""
    users = tenancy_repository.users

    def all_people(self: Any) -> list[Any]:
        query = tenancy_repository.select(users).where(users.c.tenant_id == self._company).order_by(users.c.id)
        return tenancy_repository.records(self._conn.execute(query).mappings())

    replace(tenancy_repository.PeopleRepository, "all", all_people)


def approval_request_says_no_amount() -> None:
    """A request for approval is audited without the amount and currency it is for (its data left out)."""
    original = approval_requests.request

    def request(u: Any, principal: Any, **asked: Any) -> Any:
        trail = u.audit

        class Forgetful:  # the trail as the request sees it: each entry written without its data
            def append(self, **entry: Any) -> Any:
                return trail.append(**{name: value for name, value in entry.items() if name != "data"})

        u.audit = Forgetful()
        try:
            return original(u, principal, **asked)
        finally:
            u.audit = trail

    replace(approval_requests, "request", request)


def lead_names_the_first_deal() -> None:
    """A lead read alone names the company's first deal as the one it became, whichever lead that deal came from
    (the look-up's filter on the lead left out)."""

    def get_lead(uow: Any, principal: Any, lead_id: Any) -> dict[str, Any]:
        principal.require(sales.Permission.READ_SALES)
        with uow(company=principal.company_id) as u:
            lead = u.sales.get(sales.Kind.LEADS, lead_id)
            if lead is None:
                raise sales.NotFound("lead not found")
            deals = u.sales.list(sales.Kind.DEALS, limit=1)
            return {**lead, "opportunity_id": deals[0]["id"] if deals else None}

    replace(sales, "get_lead", get_lead)


def archive_answered_as_not_archived() -> None:
    """Archiving a conversation archives it, and its answer says it is not archived (the flag of the answer
    written from the record as it was read, before the change)."""
    original = assistant_threads.archive_thread

    def archive_thread(uow: Any, principal: Any, thread_id: Any) -> dict[str, Any]:
        return {**original(uow, principal, thread_id), "archived": False}

    replace(assistant_threads, "archive_thread", archive_thread)


def rate_limit_filed_under_the_person() -> None:
    """A person's allowance of questions is kept under their own id as if it were a company's namespace, with
    the company's id after it (the two arguments swapped): still one allowance a person, outside the company."""

    async def allow(self: RunRateLimiter, company_id: Any, user_id: Any, per_minute: int) -> bool:
        return await self._take(f"{company_prefix(user_id)}ratelimit:assistant:{company_id}", per_minute, 1)

    replace(RunRateLimiter, "allow", allow)


def overdue_tool_fails_when_none_is_due() -> None:
    """The overdue-invoices tool names the first overdue invoice's currency, and fails inside the platform when
    none is overdue (the run goes on without it: the model answers all the same)."""
    original = assistant_tools.LOOKUPS["overdue_invoices"]

    def overdue_invoices(uow: Any, principal: Any, args: dict[str, Any]) -> dict[str, Any]:
        found = original(uow, principal, args)
        return {**found, "currency": found["invoices"][0]["currency"]}

    assistant_tools.LOOKUPS["overdue_invoices"] = overdue_invoices


def pipeline_tool_totals_as_numbers() -> None:
    """The open-pipeline tool gives each currency's total as a JSON number (a float to any reader), not as a
    decimal string; its summary in words is unchanged."""
    original = assistant_tools.LOOKUPS["open_pipeline_summary"]

    def open_pipeline_summary(uow: Any, principal: Any, args: dict[str, Any]) -> dict[str, Any]:
        found = original(uow, principal, args)
        return {**found, "pipeline": [{**line, "total": float(line["total"])} for line in found["pipeline"]]}

    assistant_tools.LOOKUPS["open_pipeline_summary"] = open_pipeline_summary


def approvals_made_at_without_offset() -> None:
    """A request for approval says when it was made without its offset from UTC (the time in the platform's
    zone, the zone left out)."""

    class ApprovalOut(compliance.ApprovalOut):
        @field_serializer("created_at")
        def _local(self, made: datetime) -> str:
            return made.replace(tzinfo=None).isoformat()

    replace(compliance, "ApprovalOut", ApprovalOut)


def session_end_names_the_token() -> None:
    """A look-up refused because the session ended tells the asker so in words that name the session's own
    access token."""
    original = assistant_tools.run_call

    def run_call(uow: Any, signer: Any, token: str, call: Any, tool: str | None = None) -> dict[str, Any]:
        try:
            return original(uow, signer, token, call, tool)
        except Unauthenticated as ended:
            raise Unauthenticated(f"{ended.message} (token {token})") from None

    replace(assistant_tools, "run_call", run_call)


def deal_moved_unaudited() -> None:
    """Moving an open deal to another stage changes it and leaves no entry in the company's audit trail."""

    def move_deal(uow: Any, principal: Any, deal_id: Any, *, stage: Any) -> dict[str, Any]:
        principal.require(sales.Permission.WRITE_SALES)
        with uow(company=principal.company_id) as u:
            deal = sales._deal(u, deal_id)
            sales.rules.ensure_can_move_to(sales.rules.Stage(deal["stage"]), stage)
            u.sales.change(sales.Kind.DEALS, deal_id, stage=stage.value)
            return {**deal, "stage": stage.value}

    replace(sales, "move_deal", move_deal)


def restore_forgets_when_the_backup_was_taken() -> None:
    """A company restored from its backup is audited with the rows written but not when the backup was taken."""
    original = AuditRepository.append

    def append(self: AuditRepository, *, action: str, data: dict[str, Any] | None = None, **entry: Any) -> None:
        if action == "company_restored":
            data = {key: value for key, value in (data or {}).items() if key != "taken_at"}
        original(self, action=action, data=data, **entry)

    replace(AuditRepository, "append", append)


def refund_to_nothing_stays_partly_paid() -> None:
    """An invoice's status after a payment or a refund asks "less than its total?" before "nothing paid?": an
    invoice refunded back to nothing is still partly paid (its answer and its amounts are right)."""

    def status_after_payments(total: Decimal, paid: Decimal) -> invoicing.InvoiceStatus:
        if paid < total:
            return invoicing.InvoiceStatus.PARTIALLY_PAID
        if paid <= 0:
            return invoicing.InvoiceStatus.ISSUED
        return invoicing.InvoiceStatus.PAID

    replace(invoicing, "status_after_payments", status_after_payments)


def commission_on_the_invoice_total() -> None:
    """A payment earns its seller the commission on the invoice's whole total, not on what this payment paid:
    each part of an invoice paid in parts earns the whole commission again."""
    from app.service_layer import payments

    original = payments._earn_commission

    def earn_commission(u: Any, principal: Any, invoice: Any, payment: Any) -> None:
        original(u, principal, invoice, {**payment, "amount": invoice["total"]})

    replace(payments, "_earn_commission", earn_commission)


def reading_one_notification_reads_them_all() -> None:
    """Marking a notification read marks every notification of its reader read: the update names the reader
    and forgets the notification (the answer about the one asked for is right)."""
    from app.adapters.notifications_repository import NotificationsRepository

    original = NotificationsRepository.mark_read

    def mark_read(self: NotificationsRepository, user_id: Any, notification_id: Any) -> bool:
        found = original(self, user_id, notification_id)
        if found:
            _mark_every_one_read(self, user_id)
        return found

    replace(NotificationsRepository, "mark_read", mark_read)


def archiving_a_conversation_archives_the_companys() -> None:
    """Archiving a conversation archives every conversation of the company: the update names the company and
    forgets the conversation (the conversation asked for is archived, as its answer says)."""
    from sqlalchemy import update

    from app.adapters.assistant_repository import AssistantRepository
    from app.adapters.tables import assistant_threads

    def archive(self: AssistantRepository, thread_id: Any) -> None:
        self._conn.execute(
            update(assistant_threads).where(assistant_threads.c.tenant_id == self._company).values(archived=True)
        )

    replace(AssistantRepository, "archive", archive)


def listing_notifications_marks_them_read() -> None:
    """Listing a person's notifications marks every one listed read: the list shows them as they were, the next
    one as read, though the person never marked them."""
    from app.adapters.notifications_repository import NotificationsRepository

    original = NotificationsRepository.of_user

    def of_user(self: NotificationsRepository, user_id: Any, page: Any) -> list:
        listed = original(self, user_id, page)
        _mark_every_one_read(self, user_id)
        return listed

    replace(NotificationsRepository, "of_user", of_user)


def people_shown_with_an_internal_column() -> None:
    """A person's answer shows a column the contract does not name (the row's company id): a response model
    given one field too many; nothing secret, nothing of another company, so only the contract can tell."""
    import uuid

    from app.entrypoints.http.schemas import tenancy

    class UserOut(tenancy.UserOut):
        tenant_id: uuid.UUID | None = None

    replace(tenancy, "UserOut", UserOut)


def _mark_every_one_read(repository: Any, user_id: Any) -> None:
    """Marks every notification of the person read, in the repository's transaction (what both defects above do
    beside what was asked)."""
    from sqlalchemy import update

    from app.adapters.tables import notifications

    repository._conn.execute(
        update(notifications)
        .where(notifications.c.tenant_id == repository._company, notifications.c.user_id == user_id)
        .values(read=True)
    )


def moving_a_deal_moves_the_open_ones() -> None:
    """Moving a deal to another open stage moves every open deal of the company there: the update keeps the
    company and the open stages and forgets the deal (the deal asked for moves as its answer says)."""
    from sqlalchemy import update

    from app.adapters.sales_repository import TABLES, SalesRepository
    from app.domain.records import Kind
    from app.domain.sales import OPEN_STAGES

    original = SalesRepository.change

    def change(self: SalesRepository, kind: Kind, record_id: Any, **fields: Any) -> None:
        original(self, kind, record_id, **fields)
        if kind == Kind.DEALS and fields.get("stage") in OPEN_STAGES:
            table = TABLES[kind]
            self._conn.execute(
                update(table)
                .where(table.c.tenant_id == self._company, table.c.stage.in_(sorted(OPEN_STAGES)))
                .values(stage=fields["stage"])
            )

    replace(SalesRepository, "change", change)


def win_answered_with_the_stage_before() -> None:
    """Winning a deal wins it, and its answer shows the stage the deal had before (the answer written from the
    deal as it was read): only the next read, by whoever reads it, shows it won."""
    original = sales.win_deal

    def win_deal(uow: Any, principal: Any, deal_id: Any) -> dict[str, Any]:
        won = original(uow, principal, deal_id)
        return {**won, "stage": "negotiation" if won["stage"] == "won" else won["stage"]}

    replace(sales, "win_deal", win_deal)


def reports_read_over_a_signed_out_session() -> None:
    """The routes that check their caller apart from their work (reports, analytics, approvals' decisions, adding
    people) check a token's signature and expiry, and that its person is still there, but not whether its session
    was signed out: the main path (every other route, who am I) still refuses it."""

    def authenticate(uow: Any, signer: Any, token: str, *, hold: bool = False) -> Principal:
        claims = signer.verify(token)
        with uow() as u:
            user = u.enter_signed_in(
                claims.company_id, claims.user_id, claims.token_id, hold=hold, issued=claims.issued_at
            )
            if user is None:
                raise Unauthenticated("the token's user no longer exists")
        return Principal(user_id=user["id"], company_id=user["company_id"], role=Role(user["role"]))

    replace(tenancy, "authenticate", authenticate)


def signed_out_session_signs_out_again() -> None:
    """A session already signed out may sign out again: answered as the first time, and written into the security
    trail once more (as the platform was until 2026-12-07)."""

    def sign_out(uow: Any, signer: Any, token: str) -> None:
        claims = signer.verify(token)
        with uow(company=claims.company_id) as u:
            u.people.hold_for_change(claims.user_id)
            u.people.revoke_token(claims.token_id, claims.expires_at)
            u.sessions_changed(claims.user_id)
            u.audit.append(action="signed_out", actor_id=claims.user_id, entity_type="user", entity_id=claims.user_id)

    replace(tenancy, "sign_out", sign_out)


def profit_and_loss_counts_void_invoices() -> None:
    """The profit and loss counts an invoice voided after it was issued as revenue: its filter reads "ever
    issued" where it must read "issued, paid in part or paid"."""
    original = ReportsRepository.revenue_and_costs

    def revenue_and_costs(self: ReportsRepository, start: Any, end: Any) -> Any:
        out = original(self, start, end)
        voided = (
            select(invoices.c.currency, func.sum(invoices.c.net))
            .where(
                invoices.c.tenant_id == self._company,
                invoices.c.status == "void",
                invoices.c.issued_at >= start,
                invoices.c.issued_at < end,
            )
            .group_by(invoices.c.currency)
        )
        for currency, net in self._conn.execute(voided):
            figures = out.setdefault(currency, {"revenue": Decimal("0.00"), "costs": Decimal("0.00")})
            figures["revenue"] += Decimal(net)
        return out

    replace(ReportsRepository, "revenue_and_costs", revenue_and_costs)


def declined_card_answered_unauthenticated() -> None:
    """A declined card is answered 401 (its code still says declined): a client told 401 signs its person out."""
    table = [(kind, 401 if kind is PaymentDeclined else status) for kind, status in errors.STATUS_BY_ERROR]
    replace(errors, "STATUS_BY_ERROR", table)
