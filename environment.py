"""behave hooks: the stack once per run, a fresh tenant per scenario, evidence, cleanup.

Context attributes owned here:
    context.stack       the embedded stack (None when attached to a deployment)
    context.inspectors  run-wide API address and database/cache/processor inspectors
    context.world       the scenario's World (its own tenant and personas)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from behave import fixture, use_fixture

from support.clients.cache_inspector import CacheInspector
from support.clients.database_inspector import DatabaseInspector
from support.clients.processor_reader import PaymentProcessorView
from support.report.allure_labels import label_by_folder
from support.scenario.config import SpecConfig
from support.scenario.step_types import register_step_types
from support.scenario.world import Inspectors, World
from support.stack.stack import Stack

register_step_types()


@fixture
def platform_stack(context):
    """Attaches to PLATFORM_URL (or -D target=...) when given, otherwise starts the embedded stack."""
    config = SpecConfig.from_sources(context.config.userdata)
    # Set only by `make audit-spec` (support.runners.audit): a platform with one planted defect, logs apart.
    planted = os.environ.get("PLANTED_DEFECT")
    log_dir = os.environ.get("STACK_LOG_DIR")
    stack = Stack(config.as_environment(), planted_defect=planted, log_dir=Path(log_dir) if log_dir else None)
    context.stack = stack.start()
    if stack.embedded:
        print(f"stack: embedded stack up in {stack.startup_seconds:.2f} s", file=sys.stderr, flush=True)
        if planted:
            print(f"stack: the platform runs with the planted defect {planted!r}", file=sys.stderr, flush=True)
    env = stack.env
    context.inspectors = Inspectors(
        platform_url=env["PLATFORM_URL"],
        platform_urls=env.get("PLATFORM_URLS", env["PLATFORM_URL"]).split(","),
        model_url=env.get("MODEL_URL"),
        mail_server_url=env.get("MAIL_SERVER_URL"),
        database_url=env.get("DATABASE_URL"),
        admin_key=env.get("PLATFORM_ADMIN_KEY"),
        token_secret=env.get("TOKEN_SECRET"),
        db=DatabaseInspector(env.get("DATABASE_URL")),
        cache=CacheInspector(env.get("REDIS_URL")),
        processor=PaymentProcessorView(env.get("PAYMENT_PROCESSOR_URL")),
        redis_url=env.get("REDIS_URL"),
        payment_processor_url=env.get("PAYMENT_PROCESSOR_URL"),
        stack_control_url=env.get("STACK_CONTROL_URL"),
    )
    try:
        yield stack
    finally:
        context.inspectors.close()
        stack.stop()


def before_all(context):
    label_by_folder(context._runner.features)
    if context.config.dry_run:
        return
    use_fixture(platform_stack, context)


def before_scenario(context, scenario):
    if "needs_token_secret" in scenario.effective_tags and not context.inspectors.token_secret:
        scenario.skip("needs the platform's signing key: set TOKEN_SECRET (or -D token_secret=...)")
        return
    context.world = World(inspectors=context.inspectors, scenario_name=scenario.name)
    context.add_cleanup(context.world.clean_up)
    context.world.provision_tenant()
