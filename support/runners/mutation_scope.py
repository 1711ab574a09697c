"""What mutation testing mutates, how, and which features judge each module.

The modules are those the issue names: the domain, and the services and queries that move money,
decide approvals, write the audit trail, notify people, compute reports and retry dependencies.
Each is judged by the features that exercise it (the whole specification where none is named).
"""

from __future__ import annotations

from pathlib import Path

WHOLE_SPECIFICATION = ("features",)
APP = Path(__file__).resolve().parents[2] / "app"

# module -> the feature folders or files that exercise it
FEATURES_FOR: dict[str, tuple[str, ...]] = {
    "app/domain/money.py": (
        "features/billing",
        "features/finance",
        "features/operations/headers_and_limits.feature",
    ),
    "app/domain/invoicing.py": ("features/billing", "features/operations/headers_and_limits.feature"),
    "app/domain/commission.py": ("features/sales/lead_to_cash.feature", "features/billing/refunds.feature"),
    "app/domain/approvals.py": ("features/compliance",),
    "app/domain/audit.py": ("features/compliance", "features/operations/security_events.feature"),
    "app/domain/finance.py": ("features/finance",),
    "app/domain/sales.py": ("features/sales",),
    "app/domain/tickets.py": ("features/journeys",),
    "app/domain/pages.py": ("features/sales/lead_listing.feature",),
    "app/domain/sanitise.py": ("features/sales/lead_input.feature", "features/assistant/answers.feature"),
    "app/domain/roles.py": (
        "features/tenancy/access.feature",
        "features/operations/security_events.feature",
        "features/assistant/rights.feature",
    ),
    "app/domain/records.py": ("features/sales", "features/billing"),
    "app/domain/clock.py": ("features/finance", "features/billing"),
    "app/domain/assistant_events.py": ("features/assistant",),
    "app/domain/event_delivery.py": ("features/assistant",),
    "app/domain/errors.py": (
        "features/operations/security_events.feature",
        "features/operations/start_up.feature",
        "features/resilience/processor_outage.feature",
        "features/tenancy/access.feature",
        "features/sales/lead_input.feature",
        "features/billing/payment_input.feature",
        "features/operations/headers_and_limits.feature",
    ),
    "app/service_layer/payments.py": (
        "features/billing",
        "features/sales/lead_to_cash.feature",
        "features/resilience",
        "features/compliance",
    ),
    "app/service_layer/billing.py": (
        "features/billing",
        "features/finance",
        "features/compliance",
        "features/journeys",
    ),
    "app/service_layer/refunds.py": ("features/billing/refunds.feature",),
    "app/service_layer/approvals.py": ("features/compliance", "features/resilience/concurrency.feature"),
    "app/service_layer/approval_requests.py": ("features/compliance",),
    "app/service_layer/notifications.py": ("features/sales/delivery_kickoff.feature",),
    "app/service_layer/reports.py": ("features/finance", "features/tenancy/cache.feature"),
    "app/service_layer/exactly_once.py": ("features/billing", "features/resilience"),
    "app/adapters/reports_repository.py": (
        "features/finance",
        "features/journeys",
        "features/assistant/answers.feature",
    ),
    "app/adapters/audit_repository.py": ("features/compliance", "features/operations/security_events.feature"),
    "app/adapters/billing_repository.py": (
        "features/billing",
        "features/finance",
        "features/compliance",
        "features/sales/lead_to_cash.feature",
    ),
    "app/adapters/retry_policy.py": (
        "features/resilience/processor_outage.feature",
        "features/resilience/model_outage.feature",
        "features/resilience/two_faults.feature",
    ),
    "app/adapters/circuit_breaker.py": (  # the breakers (processor, model) live in Redis, shared by the instances
        "features/resilience/processor_outage.feature",
        "features/resilience/model_outage.feature",
        "features/resilience/two_faults.feature",
        "features/resilience/cache_outage.feature",
    ),
    "app/adapters/payment_gateway.py": (
        "features/billing",
        "features/resilience/processor_outage.feature",
        "features/resilience/two_faults.feature",
        "features/resilience/database_faults.feature",
    ),
    "app/domain/tool_calls.py": ("features/assistant/tool_calls.feature", "features/assistant/rights.feature"),
    "app/domain/text_rules.py": (
        "features/sales/lead_input.feature",
        "features/assistant/tool_calls.feature",
        "features/operations/socket_messages.feature",
    ),
    "app/service_layer/assistant_tools.py": ("features/assistant",),
    "app/service_layer/agent_runtime.py": (
        "features/assistant",
        "features/operations/socket_messages.feature",
        "features/operations/shutdown.feature",
    ),
    "app/domain/analytics.py": ("features/analytics",),
    "app/service_layer/analytics.py": ("features/analytics",),
    "app/adapters/analytics_store.py": ("features/analytics",),
    "app/service_layer/run_following.py": ("features/assistant", "features/tenancy/ownership.feature"),
    "app/entrypoints/ws/assistant.py": ("features/assistant", "features/operations/socket_messages.feature"),
}

# The scope: every module of app/ (not the migrations, whose text is the schema's history). A module not in
# FEATURES_FOR is judged by the whole specification.
SCOPE: tuple[str, ...] = tuple(
    sorted(
        str(path.relative_to(APP.parent))
        for path in APP.rglob("*.py")
        if path.name != "__init__.py" and "migrations" not in path.parts and path.stat().st_size > 0
    )
)

# module -> the pytest tests that judge it first (fast, no stack restart): a mutant they kill is killed
TESTS_FOR: dict[str, tuple[str, ...]] = {
    "app/domain/tool_calls.py": ("tests/app/domain/test_tool_calls.py",),
    "app/domain/text_rules.py": ("tests/app/domain/test_tool_calls.py",),
    "app/domain/assistant_events.py": ("tests/app/domain/test_assistant_events.py",),
    "app/domain/event_delivery.py": ("tests/app/domain/test_event_delivery.py",),
    "app/service_layer/agent_runtime.py": ("tests/app/service_layer/test_agent_runtime.py",),
    "app/service_layer/assistant_tools.py": ("tests/app/service_layer/test_assistant_tools.py",),
    "app/entrypoints/ws/assistant.py": (
        "tests/app/api/test_assistant_socket.py",
        "tests/app/api/test_socket_connection.py",
    ),
    "app/domain/analytics.py": ("tests/app/domain/test_analytics.py",),
    "app/domain/sanitise.py": ("tests/app/domain/test_sanitise.py",),
    "app/entrypoints/http/pagination.py": ("tests/app/api/test_page_cursors.py",),
    "app/entrypoints/http/routes_analytics.py": ("tests/app/api/test_analytics_without_store.py",),
    # the settings: their reference page is made from them (a default, a bound, a description changed shows)
    "app/config.py": (
        "tests/support/test_settings_reference.py",
        "tests/app/test_production_profile.py",
        "tests/app/test_database_url.py",
    ),
    "app/hot_settings.py": ("tests/support/test_settings_reference.py", "tests/app/test_hot_settings.py"),
    # the operators' calls, tried over HTTP against a stack of the test's own (its instances run the mutant,
    # so the map, which records only the tests' own process, cannot name these tests)
    "app/service_layer/tenancy.py": ("tests/app/api/test_http_contracts.py",),
    "app/entrypoints/http/routes_settings.py": ("tests/app/api/test_http_contracts.py",),
    "app/entrypoints/http/routes_tenancy.py": ("tests/app/api/test_http_contracts.py",),
    "app/entrypoints/http/schemas/tenancy.py": ("tests/app/api/test_http_contracts.py",),
    # the declared tables: compared with what the migrations make, and with the records read from them
    "app/adapters/tables.py": (
        "tests/app/test_tables_match_migrations.py",
        "tests/app/test_records_match_tables.py",
    ),
}

# The routes, their schemas, the error answers they document and the app itself make the OpenAPI document,
# pinned in the repository: a path, a status, a field or a bound changed shows there in seconds, where the
# scenarios take minutes to reach it
CONTRACT_TESTS = ("tests/app/api/test_pinned_contract.py",)


def _contract_first(tests_for: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """``tests_for`` with the contract's test first for every module of the routes and their schemas."""
    making_the_contract = [
        str(path.relative_to(APP.parent))
        for path in sorted((APP / "entrypoints" / "http").rglob("*.py"))
        if path.name.startswith("routes_") or "schemas" in path.parts or path.name == "errors.py"
    ] + ["app/main.py"]  # the error answers every operation documents; the app's title, version and routers
    return {**tests_for, **{m: CONTRACT_TESTS + tests_for.get(m, ()) for m in making_the_contract}}


TESTS_FOR = _contract_first(TESTS_FOR)

# A lean set of cosmic-ray's operators, one meaningful slip per construct (as mutmut makes): a sign flipped,
# a product divided, each comparison moved across its edge or negated, a number changed, a condition negated,
# a boolean or a logical operator swapped, an exception handler broken, a loop skipped.
# The other replacements (an addition into a bit shift, ...) are the same slips found more slowly.
OPERATORS_KEPT: tuple[str, ...] = (
    "core/ReplaceBinaryOperator_Add_Sub",
    "core/ReplaceBinaryOperator_Sub_Add",
    "core/ReplaceBinaryOperator_Mul_Div",
    "core/ReplaceBinaryOperator_Div_Mul",
    "core/ReplaceBinaryOperator_FloorDiv_Mul",
    "core/ReplaceBinaryOperator_Mod_Div",
    "core/ReplaceBinaryOperator_Pow_Mul",
    "core/ReplaceComparisonOperator_Eq_NotEq",
    "core/ReplaceComparisonOperator_NotEq_Eq",
    "core/ReplaceComparisonOperator_Lt_LtE",
    "core/ReplaceComparisonOperator_LtE_Lt",
    "core/ReplaceComparisonOperator_Gt_GtE",
    "core/ReplaceComparisonOperator_GtE_Gt",
    "core/ReplaceComparisonOperator_Is_IsNot",
    "core/ReplaceComparisonOperator_IsNot_Is",
    "core/NumberReplacer",
    "core/AddNot",
    "core/ReplaceTrueWithFalse",
    "core/ReplaceFalseWithTrue",
    "core/ReplaceAndWithOr",
    "core/ReplaceOrWithAnd",
    "core/ExceptionReplacer",
    "core/ZeroIterationForLoop",
    "core/ReplaceUnaryOperator_USub_UAdd",
    "core/ReplaceUnaryOperator_Delete_Not",
    # the slips people make (support/runners/slips.py): an element, a keyword argument, a row lock or a field
    # left out, two positional arguments swapped
    "slips/DropElement",
    "slips/DropKeywordArgument",
    "slips/SwapArguments",
    "slips/DropRowLock",
    "slips/DropField",
)
