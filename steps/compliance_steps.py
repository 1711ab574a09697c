"""Compliance: the audit trail cannot be altered unnoticed, and misses nothing."""

from behave import given, then, when

from support.areas.compliance import checks as expect


@given("{name:Persona} works for the company")
def step_works_here(context, name):
    """Checks the person named is one of the company's people, with their role."""
    expect.works_for_the_company(context.world, name)


@when('someone alters the "{action}" entry of the audit trail directly in the database')
def step_tamper(context, action):
    """Alters the audit entry of that action directly in the database, as an intruder with database access would."""
    expect.tamper(context.world, action)


@when("someone alters {position:Position} entry of the audit trail directly in the database")
def step_tamper_at(context, position):
    """Alters the audit entry at the position named (the oldest, the newest) directly in the database."""
    expect.tamper(context.world, position)


@when("someone removes the newest entry of the audit trail directly in the database")
def step_remove_newest(context):
    """Deletes the company's newest audit entry in the database, behind the platform's back."""
    expect.remove_newest_entry(context.world)


@then("{name:Persona} finds the audit trail intact")
def step_intact(context, name):
    """The person named verifies the audit trail and finds its hash chain intact."""
    expect.audit_intact(context.world, name)


@then("{name:Persona} finds the audit trail broken at that entry")
def step_broken(context, name):
    """The person named verifies the audit trail and finds it broken at the altered entry."""
    expect.audit_broken_at_tampered_entry(context.world, name)


@then("{name:Persona} reading the audit trail {size:d} entries at a time finds every entry once, in order")
def step_audit_in_pages(context, name, size):
    """The person named reads the trail a page of that many entries at a time; checks it is the whole trail."""
    expect.audit_read_in_pages(context.world, name, size)


@then("{name:Persona} finds exactly one entry per business event, in order, each with who and when: {actions:List}")
def step_complete(context, name, actions):
    """The person named reads the trail: one entry per business event listed, in order, each with who and when."""
    expect.audit_complete(context.world, name, actions)


@then('{name:Persona} finds {count:d} "{action}" entries, one per record, in a trail without gap or repeat')
def step_entries_each_once(context, name, count, action):
    """The person named reads the whole trail: that many entries of the action, each once, numbered without gaps."""
    expect.entries_each_once(context.world, name, count, action)
