"""behave hooks: the stack once per run, a fresh tenant per scenario, evidence, cleanup.

Context attributes owned here:
    context.stack       the embedded stack (None when attached to a deployment)
    context.inspectors  run-wide API address and database/cache/processor inspectors
    context.world       the scenario's World (its own tenant and personas)
"""

from __future__ import annotations

import os
import sys

import allure
from behave import fixture, use_fixture

from support.areas.step_vocabulary import register_step_types
from support.clients.exchanges import start_recording, take_evidence
from support.invariants import guard, strangers
from support.report.allure_formatter import report_rules
from support.report.allure_labels import label_by_folder, where_it_runs
from support.report.evidence import attach_exchanges
from support.report.narrative import carry_the_why, skipped_because
from support.runners.scenario_coverage import scenario_begins
from support.scenario import time_limit
from support.scenario.config import SpecConfig
from support.scenario.flaky import retry_flaky
from support.scenario.tenants import Inspectors
from support.scenario.world import World
from support.stack.stack import Stack

register_step_types()
report_rules()
guard.guard_every_step()


@fixture
def platform_stack(context):
    """Attaches to PLATFORM_URL (or -D target=...) when given, otherwise starts the embedded stack."""
    config = SpecConfig.from_sources(context.config.userdata)
    # Set only by `make audit-spec` (support.runners.audit): a platform with one planted defect, logs apart.
    planted = os.environ.get("PLANTED_DEFECT")
    stack = Stack(config.as_environment(), planted_defect=planted)  # its logs: STACK_LOG_DIR, else reports/
    context.stack = stack.start()
    if stack.embedded:
        print(f"stack: embedded stack up in {stack.startup_seconds:.2f} s", file=sys.stderr, flush=True)
        if planted:
            print(f"stack: the platform runs with the planted defect {planted!r}", file=sys.stderr, flush=True)
    context.inspectors = Inspectors.open(SpecConfig.of(stack.env))
    try:
        yield stack
    finally:
        context.inspectors.close()
        stack.stop()


def before_all(context):
    label_by_folder(context._runner.features)
    where_it_runs(context._runner.features)
    carry_the_why(context._runner.features, context.config.userdata.get("AllureFormatter.issue_pattern"))
    if context.config.dry_run:
        return
    use_fixture(platform_stack, context)
    context.stranger = strangers.made_for_the_run(context.inspectors)  # support/invariants/strangers.py


# tag -> (what the run must have, the reason written into the report when it has not)
NEEDS = {
    "needs_token_secret": (
        lambda context: context.inspectors.config.token_secret,
        "needs the platform's signing key: set TOKEN_SECRET (or -D token_secret=...)",
    ),
    "needs_platform_code": (  # the run's own embedded stack, or that of the runner that started this worker
        lambda context: context.inspectors.config.stack_control_url,
        "starts the platform from this checkout: only with the embedded stack",
    ),
    "chaos": (
        lambda context: context.inspectors.config.stack_control_url,
        "injects faults into the stack's own services (stops servers, cuts connections): only with the embedded stack",
    ),
    "needs_analytics_store": (
        lambda context: context.inspectors.config.analytics_url,
        "reads the analytics store as it lies: set ANALYTICS_URL (the embedded stack has one)",
    ),
    "needs_mail_server": (
        lambda context: context.inspectors.config.mail_server_url,
        "reads what the mail server received: set MAIL_SERVER_URL (the embedded stack has one)",
    ),
}


def after_all(context):
    time_limit.stop()
    if not context.config.dry_run:
        remove_companies_from_a_deployment(context.inspectors)


def remove_companies_from_a_deployment(inspectors: Inspectors) -> None:
    """Against a deployment (no stack of ours: no STACK_CONTROL_URL), the companies the run made are removed at
    its end, unless SPEC_KEEP_COMPANIES=1; the embedded stack's database is thrown away instead."""
    if inspectors.config.stack_control_url or os.environ.get("SPEC_KEEP_COMPANIES") == "1":
        return
    made = len(inspectors.companies_made)
    removed, problems = inspectors.remove_companies_made()
    said = sys.__stderr__ or sys.stderr  # behave captures what hooks print; this is for the person running it
    print(f"staging: removed {removed} of the {made} companies this run made", file=said, flush=True)
    for problem in problems:
        print(f"staging: not removed: {problem}", file=said, flush=True)


def before_feature(context, feature):
    retry_flaky(feature)


def before_scenario(context, scenario):
    time_limit.arm_for(scenario, context.config.userdata)
    for tag, (available, reason) in NEEDS.items():
        if tag in scenario.effective_tags and not available(context):
            skipped_because(scenario, reason)
            return
    scenario_begins(str(scenario.location), context.inspectors.config.instance_urls)  # make mutation's map only
    recorder = start_recording()
    if context.inspectors.db.available:
        recorder.fingerprint = lambda company: context.inspectors.db.company_fingerprint(company, leave_out=NOT_WATCHED)
    context.world = World(inspectors=context.inspectors, scenario_name=scenario.name)
    context.add_cleanup(context.world.clean_up)
    with allure.step("Set-up: the scenario's own company and its people"):
        context.world.provision_tenant()
        attach_exchanges(take_evidence())


# Left out of the rows watched around a request (support/clients/row_watch.py): the security trail (a denial, a
# failed sign-in, a declined card is audited, whatever the request), the outbox, whose sender marks mail sent in
# the background meanwhile, and tells the issuer of mail it cannot deliver (a notification of that kind), and the
# assistant's use, which the analytics ingester marks copied in the background.
NOT_WATCHED = ("audit_entries", "outbox", "notifications.kind=mail_undeliverable", "assistant_usage")


def before_step(context, step):
    guard.step_starts(context, step)


def after_scenario(context, scenario):
    time_limit.arm_for_cleanup(scenario)
