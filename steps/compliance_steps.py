"""Compliance: the audit trail cannot be altered unnoticed, and misses nothing."""

from behave import then, when

from support.areas.compliance import checks as expect


@when('someone alters the "{action}" entry of the audit trail directly in the database')
def step_tamper(context, action):
    expect.tamper(context.world, action)


@then("{name:Persona} finds the audit trail intact")
def step_intact(context, name):
    expect.audit_intact(context.world, name)


@then("{name:Persona} finds the audit trail broken at that entry")
def step_broken(context, name):
    expect.audit_broken_at_tampered_entry(context.world, name)


@then("{name:Persona} finds exactly one entry per business event, in order, each with who and when: {actions:List}")
def step_complete(context, name, actions):
    expect.audit_complete(context.world, name, actions)
