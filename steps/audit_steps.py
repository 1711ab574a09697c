"""The audit trail, read in business words."""

from behave import then

from support import expectations as expect


@then("the audit trail shows, in order: {actions:List}")
def step_audit_trail(context, actions):
    expect.audit_trail_is(context.world, actions)


@then("the audit trail ends with: {actions:List}")
def step_audit_trail_end(context, actions):
    expect.audit_trail_ends_with(context.world, actions)
