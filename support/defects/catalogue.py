"""The catalogue of planted defects: each a small, realistic bug the specification must catch.

``plant()`` patches the running platform (module attributes, before it serves
anything); it raises ``PlantingError`` if what it patches no longer exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from support.defects import (
    access_defects,
    analytics_defects,
    assistant_rights_defects,
    audit_defects,
    event_defects,
    everywhere_defects,
    life_cycle_defects,
    money_defects,
    operations_defects,
    revocation_defects,
    totals_defects,
    unnamed_defects,
)


@dataclass(frozen=True, slots=True)
class PlantedDefect:
    name: str
    plant: Callable[[], None]

    @property
    def summary(self) -> str:
        """What the bug does, in one line (the patch's own docstring)."""
        return (self.plant.__doc__ or "").strip().splitlines()[0]


CATALOGUE: tuple[PlantedDefect, ...] = (
    PlantedDefect("invoice-read-without-tenant-filter", access_defects.invoice_read_without_tenant_filter),
    PlantedDefect("float-invoice-arithmetic", money_defects.float_invoice_arithmetic),
    PlantedDefect("payment-not-audited", access_defects.payment_not_audited),
    PlantedDefect("assistant-events-out-of-order", event_defects.assistant_events_out_of_order),
    PlantedDefect("run-appends-unserialised", event_defects.run_appends_unserialised),
    PlantedDefect("run-followed-by-another-user", event_defects.run_followed_by_another_user),
    PlantedDefect("report-cache-never-invalidated", event_defects.report_cache_never_invalidated),
    PlantedDefect("approval-check-skipped", access_defects.approval_check_skipped),
    PlantedDefect("idempotency-key-ignored", money_defects.idempotency_key_ignored),
    PlantedDefect("retries-without-backoff", money_defects.retries_without_backoff),
    PlantedDefect("invoice-written-row-by-row", money_defects.invoice_written_row_by_row),
    PlantedDefect("overpayment-answers-500", money_defects.overpayment_answers_500),
    PlantedDefect("payment-charged-in-euros", money_defects.payment_charged_in_euros),
    PlantedDefect("threshold-blind-to-currency", money_defects.threshold_blind_to_currency),
    PlantedDefect("analytics-across-companies", analytics_defects.analytics_across_companies),
    PlantedDefect("analytics-counts-duplicates", analytics_defects.analytics_counts_duplicates),
    PlantedDefect("ingester-skips-an-event", analytics_defects.ingester_skips_an_event),
    PlantedDefect("refunds-not-taken-off", analytics_defects.refunds_not_taken_off),
    PlantedDefect("lost-deals-counted-won", analytics_defects.lost_deals_counted_won),
    PlantedDefect("invoices-paid-in-parts-counted-again", analytics_defects.invoices_paid_in_parts_counted_again),
    PlantedDefect("assistant-failures-not-recorded", analytics_defects.assistant_failures_not_recorded),
    PlantedDefect("assistant-tokens-without-the-prompt", analytics_defects.assistant_tokens_without_the_prompt),
    PlantedDefect("settings-change-taken-in-part", operations_defects.settings_change_taken_in_part),
    PlantedDefect("settings-reload-stays-on-one-instance", operations_defects.settings_reload_stays_on_one_instance),
    PlantedDefect("look-up-limits-fixed-at-start", operations_defects.look_up_limits_fixed_at_start),
    PlantedDefect("backup-misses-the-newest-audit-entry", operations_defects.backup_misses_the_newest_audit_entry),
    PlantedDefect("token-expiry-unchecked", access_defects.token_expiry_unchecked),
    PlantedDefect("sign-in-never-throttled", operations_defects.sign_in_never_throttled),
    PlantedDefect("nosniff-header-dropped", operations_defects.nosniff_header_dropped),
    PlantedDefect("invoice-amounts-unbounded", operations_defects.invoice_amounts_unbounded),
    PlantedDefect("socket-frames-trusted", operations_defects.socket_frames_trusted),
    PlantedDefect("failed-sign-in-not-audited", operations_defects.failed_sign_in_not_audited),
    PlantedDefect("payments-not-counted", operations_defects.payments_not_counted),
    PlantedDefect("pool-waits-not-shown", operations_defects.pool_waits_not_shown),
    PlantedDefect("database-connections-wait-forever", operations_defects.database_connections_wait_forever),
    PlantedDefect("silent-dependencies-not-named", operations_defects.silent_dependencies_not_named),
    PlantedDefect("start-up-needs-the-database", operations_defects.start_up_needs_the_database),
    PlantedDefect(
        "processor-away-at-start-is-away-for-good", operations_defects.processor_away_at_start_is_away_for_good
    ),
    PlantedDefect(
        "database-reached-at-its-first-address-only", operations_defects.database_reached_at_its_first_address_only
    ),
    PlantedDefect("shutdown-drops-running-questions", operations_defects.shutdown_drops_running_questions),
    PlantedDefect("access-denied-not-audited", operations_defects.access_denied_not_audited),
    PlantedDefect("access-denied-audited-as-another-right", operations_defects.access_denied_audited_as_another_right),
    PlantedDefect("own-role-change-allowed", operations_defects.own_role_change_allowed),
    PlantedDefect("company-removal-keeps-its-cache", operations_defects.company_removal_keeps_its_cache),
    PlantedDefect("answers-kept-in-memory", operations_defects.answers_kept_in_memory),
    PlantedDefect("invoice-voided-after-payment", life_cycle_defects.invoice_voided_after_payment),
    PlantedDefect("approval-decided-twice", life_cycle_defects.approval_decided_twice),
    PlantedDefect("closed-ticket-answered", life_cycle_defects.closed_ticket_reopened_by_an_answer),
    PlantedDefect("disqualified-lead-qualified", life_cycle_defects.disqualified_lead_qualified),
    PlantedDefect("ageing-edge-off-by-one", totals_defects.ageing_edge_off_by_one),
    PlantedDefect("forecast-counts-won-deals", totals_defects.forecast_counts_won_deals),
    PlantedDefect("audit-newest-entry-unchecked", totals_defects.audit_newest_entry_unchecked),
    PlantedDefect("ageing-cache-ignores-the-date", totals_defects.ageing_cache_ignores_the_date),
    PlantedDefect("declined-card-retried", totals_defects.declined_card_retried),
    PlantedDefect("cache-trusts-what-it-reads", totals_defects.cache_trusts_what_it_reads),
    PlantedDefect("page-edge-read-twice", totals_defects.page_edge_read_twice),
    PlantedDefect("assistant-tool-rights-unchecked", assistant_rights_defects.tool_rights_unchecked),
    PlantedDefect("assistant-tool-refusals-not-audited", assistant_rights_defects.tool_refusals_not_audited),
    PlantedDefect("assistant-tool-call-limit-ignored", assistant_rights_defects.tool_call_limit_ignored),
    PlantedDefect(
        "assistant-tool-calls-per-minute-unbounded", assistant_rights_defects.tool_calls_per_minute_unbounded
    ),
    PlantedDefect("open-socket-keeps-its-session", revocation_defects.open_socket_keeps_its_session),
    PlantedDefect("tools-keep-the-role-asked-with", revocation_defects.tools_keep_the_role_asked_with),
    PlantedDefect("odd-tool-text-passed-on", revocation_defects.odd_tool_text_passed_on),
    PlantedDefect("lax-numbers-echoed", revocation_defects.lax_numbers_echoed),
    PlantedDefect("refused-call-stops-its-batch", revocation_defects.refused_call_stops_its_batch),
    PlantedDefect("write-abandoned-at-its-time-limit", revocation_defects.write_abandoned_at_its_time_limit),
    PlantedDefect("research-of-every-topic-unchecked", revocation_defects.research_of_every_topic_unchecked),
    PlantedDefect("write-does-not-hold-its-asker", revocation_defects.write_does_not_hold_its_asker),
    PlantedDefect("sign-out-does-not-wait-for-writes", revocation_defects.sign_out_does_not_wait_for_writes),
    PlantedDefect("held-payment-shows-its-card", everywhere_defects.held_payment_shows_its_card),
    PlantedDefect("payment-key-names-no-invoice", everywhere_defects.payment_key_names_no_invoice),
    PlantedDefect("payment-key-names-no-amount", everywhere_defects.payment_key_names_no_amount),
    PlantedDefect("colleague-cancels-a-run", everywhere_defects.colleague_cancels_a_run),
    PlantedDefect("empty-answers-unprotected", everywhere_defects.empty_answers_unprotected),
    PlantedDefect(
        "sign-in-throttle-counts-the-address-as-typed", everywhere_defects.sign_in_throttle_counts_the_address_as_typed
    ),
    PlantedDefect("refusal-names-no-field", everywhere_defects.refusal_names_no_field),
    PlantedDefect("refused-payment-keeps-its-key", everywhere_defects.refused_payment_keeps_its_key),
    PlantedDefect("people-listed-by-id", everywhere_defects.people_listed_by_id),
    PlantedDefect("approval-request-says-no-amount", everywhere_defects.approval_request_says_no_amount),
    PlantedDefect("lead-names-the-first-deal", everywhere_defects.lead_names_the_first_deal),
    PlantedDefect("rate-limit-filed-under-the-person", everywhere_defects.rate_limit_filed_under_the_person),
    PlantedDefect("overdue-tool-fails-when-none-is-due", everywhere_defects.overdue_tool_fails_when_none_is_due),
    PlantedDefect("pipeline-tool-totals-as-numbers", everywhere_defects.pipeline_tool_totals_as_numbers),
    PlantedDefect("approvals-made-at-without-offset", everywhere_defects.approvals_made_at_without_offset),
    PlantedDefect("session-end-names-the-token", everywhere_defects.session_end_names_the_token),
    PlantedDefect("deal-moved-unaudited", everywhere_defects.deal_moved_unaudited),
    PlantedDefect(
        "restore-forgets-when-the-backup-was-taken", everywhere_defects.restore_forgets_when_the_backup_was_taken
    ),
    PlantedDefect("refund-to-nothing-stays-partly-paid", everywhere_defects.refund_to_nothing_stays_partly_paid),
    PlantedDefect("commission-on-the-invoice-total", everywhere_defects.commission_on_the_invoice_total),
    PlantedDefect("archive-answered-as-not-archived", everywhere_defects.archive_answered_as_not_archived),
    PlantedDefect(
        "reading-one-notification-reads-them-all", everywhere_defects.reading_one_notification_reads_them_all
    ),
    PlantedDefect(
        "archiving-a-conversation-archives-the-companys",
        everywhere_defects.archiving_a_conversation_archives_the_companys,
    ),
    PlantedDefect("listing-notifications-marks-them-read", everywhere_defects.listing_notifications_marks_them_read),
    PlantedDefect("people-shown-with-an-internal-column", everywhere_defects.people_shown_with_an_internal_column),
    PlantedDefect("moving-a-deal-moves-the-open-ones", everywhere_defects.moving_a_deal_moves_the_open_ones),
    PlantedDefect("win-answered-with-the-stage-before", everywhere_defects.win_answered_with_the_stage_before),
    PlantedDefect("reports-read-over-a-signed-out-session", everywhere_defects.reports_read_over_a_signed_out_session),
    PlantedDefect("signed-out-session-signs-out-again", everywhere_defects.signed_out_session_signs_out_again),
    PlantedDefect("profit-and-loss-counts-void-invoices", everywhere_defects.profit_and_loss_counts_void_invoices),
    PlantedDefect("declined-card-answered-unauthenticated", everywhere_defects.declined_card_answered_unauthenticated),
    PlantedDefect("sign-in-names-the-unknown-address", unnamed_defects.sign_in_names_the_unknown_address),
    PlantedDefect("failed-sign-in-logs-the-password", unnamed_defects.failed_sign_in_logs_the_password),
    PlantedDefect(
        "notifications-listed-for-the-whole-company", unnamed_defects.notifications_listed_for_the_whole_company
    ),
    PlantedDefect("deal-moves-audited-as-nobody", unnamed_defects.deal_moves_audited_as_nobody),
    PlantedDefect(
        "profit-and-loss-counts-the-day-after-its-end", unnamed_defects.profit_and_loss_counts_the_day_after_its_end
    ),
    PlantedDefect("throttled-sign-in-names-no-retry-time", unnamed_defects.throttled_sign_in_names_no_retry_time),
    PlantedDefect("void-invoices-counted-as-billed", unnamed_defects.void_invoices_counted_as_billed),
    PlantedDefect("ageing-counted-in-local-days", unnamed_defects.ageing_counted_in_local_days),
    PlantedDefect("sign-in-counted-once-found-wrong", unnamed_defects.sign_in_counted_once_found_wrong),
    PlantedDefect("refunds-not-serialised", unnamed_defects.refunds_not_serialised),
    PlantedDefect("void-not-serialised-with-payments", unnamed_defects.void_not_serialised_with_payments),
    PlantedDefect("unserved-paths-unprotected", unnamed_defects.unserved_paths_unprotected),
    PlantedDefect("idempotency-key-not-held", unnamed_defects.idempotency_key_not_held),
    PlantedDefect("role-changes-not-serialised", unnamed_defects.role_changes_not_serialised),
    PlantedDefect("removal-refused-by-writes-meanwhile", unnamed_defects.removal_refused_by_writes_meanwhile),
    PlantedDefect("head-refused", unnamed_defects.head_refused),
    PlantedDefect("forwarded-address-believed-from-anyone", unnamed_defects.forwarded_address_believed_from_anyone),
    PlantedDefect("restore-revives-sessions", unnamed_defects.restore_revives_sessions),
    PlantedDefect("client-look-up-drops-wildcards", unnamed_defects.client_look_up_drops_wildcards),
    PlantedDefect(
        "one-address-added-twice-at-once-told-a-clash", unnamed_defects.one_address_added_twice_at_once_told_a_clash
    ),
    PlantedDefect("removal-done-twice", unnamed_defects.removal_done_twice),
    PlantedDefect("conversation-given-whole", unnamed_defects.conversation_given_whole),
    PlantedDefect("connections-unbounded", unnamed_defects.connections_unbounded),
    PlantedDefect("one-persons-runs-take-every-turn", unnamed_defects.one_persons_runs_take_every_turn),
    PlantedDefect("analytics-kept-after-removal", unnamed_defects.analytics_kept_after_removal),
    PlantedDefect("mail-subject-as-the-name-holds-it", unnamed_defects.mail_subject_as_the_name_holds_it),
    PlantedDefect("conversation-answered-whole", unnamed_defects.conversation_answered_whole),
    PlantedDefect("approval-threshold-never-removed", unnamed_defects.approval_threshold_never_removed),
    PlantedDefect("void-invoice-still-mailed", unnamed_defects.void_invoice_still_mailed),
    PlantedDefect("held-payment-outlives-its-void-invoice", unnamed_defects.held_payment_outlives_its_void_invoice),
    PlantedDefect("ticket-answer-overwritten", unnamed_defects.ticket_answer_overwritten),
    PlantedDefect("conversation-looked-up-by-company", unnamed_defects.conversation_looked_up_by_company),
    PlantedDefect("approvals-listed-whatever-their-status", unnamed_defects.approvals_listed_whatever_their_status),
    PlantedDefect("held-payment-kept-without-its-key", unnamed_defects.held_payment_kept_without_its_key),
    PlantedDefect("next-page-a-record-early", unnamed_defects.next_page_a_record_early),
    PlantedDefect("address-domain-as-typed", unnamed_defects.address_domain_as_typed),
    PlantedDefect("payment-right-checked-once-per-key", unnamed_defects.payment_right_checked_once_per_key),
    PlantedDefect("payment-key-filed-under-its-person", unnamed_defects.payment_key_filed_under_its_person),
    PlantedDefect("payment-moves-the-due-date", unnamed_defects.payment_moves_the_due_date),
    PlantedDefect("drafts-counted-as-billed", unnamed_defects.drafts_counted_as_billed),
    PlantedDefect("payment-answer-owes-what-it-owed-before", unnamed_defects.payment_answer_owes_what_it_owed_before),
    PlantedDefect("void-invoices-left-out-of-the-list", unnamed_defects.void_invoices_left_out_of_the_list),
    PlantedDefect("notice-names-the-deal-for-its-project", unnamed_defects.notice_names_the_deal_for_its_project),
    PlantedDefect("undeliverable-mail-told-to-nobody", unnamed_defects.undeliverable_mail_told_to_nobody),
    PlantedDefect("project-opened-audited-under-its-deal", audit_defects.project_opened_audited_under_its_deal),
    PlantedDefect(
        "lead-qualified-audited-under-the-newest-lead", audit_defects.lead_qualified_audited_under_the_newest_lead
    ),
    PlantedDefect("invoice-mail-due-the-day-it-is-issued", audit_defects.invoice_mail_due_the_day_it_is_issued),
    PlantedDefect("activity-adds-up-every-currency", audit_defects.activity_adds_up_every_currency),
    PlantedDefect("campaign-returns-add-up-every-currency", totals_defects.campaign_returns_add_up_every_currency),
    PlantedDefect(
        "campaign-leads-counted-for-every-campaign", totals_defects.campaign_leads_counted_for_every_campaign
    ),
    PlantedDefect("campaign-return-the-wrong-way-round", totals_defects.campaign_return_the_wrong_way_round),
    PlantedDefect(
        "ticket-for-an-unknown-client-names-no-field", audit_defects.ticket_for_an_unknown_client_names_no_field
    ),
)


def defect_named(name: str) -> PlantedDefect:
    """Raises KeyError naming the known defects when ``name`` is not one of them."""
    for defect in CATALOGUE:
        if defect.name == name:
            return defect
    raise KeyError(f"no planted defect is called {name!r}; known: {', '.join(d.name for d in CATALOGUE)}")
