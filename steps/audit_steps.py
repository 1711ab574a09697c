"""The audit trail, read in business words."""

from behave import then

from support.areas.compliance import checks as compliance_checks


@then("the audit trail shows, in order: {actions:List}")
def step_audit_trail(context, actions):
    """Reads the company's audit trail and checks its actions are those listed, in order."""
    compliance_checks.audit_trail_is(context.world, actions)


@then("the audit trail ends with: {actions:List}")
def step_audit_trail_end(context, actions):
    """Reads the company's audit trail and checks its last actions are those listed."""
    compliance_checks.audit_trail_ends_with(context.world, actions)
