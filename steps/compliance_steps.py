"""Compliance: the audit trail cannot be altered unnoticed, and misses nothing."""

from behave import given, then, when

from support.areas.compliance import approvals
from support.areas.compliance import checks as compliance_checks
from support.areas.compliance import checks as expect
from support.areas.sales import tasks as sales


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


@when("someone removes {which:AuditRemoval} of the audit trail directly in the database")
def step_remove_entries(context, which):
    """Deletes the company's newest audit entry, or every one, in the database, behind the platform's back."""
    expect.remove_entries(context.world, which)


@then("{name:Persona} finds the audit trail intact")
def step_intact(context, name):
    """The person named verifies the audit trail and finds its hash chain intact."""
    expect.audit_intact(context.world, name)


@then("{name:Persona} can recompute the whole chain herself from the documented recipe")
def step_recomputed(context, name):
    """The person named reads the trail and recomputes every hash from the documented recipe and starting value."""
    expect.chain_recomputed_by_an_outsider(context.world, name)


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


@given("the company's approval threshold is {amount:Money}")
def step_threshold(context, amount):
    """Sets the tenant's approval threshold as its owner."""
    approvals.set_threshold(context.world, amount)


@then('the payment\'s approval is withdrawn because "{reason}"')
def step_approval_withdrawn(context, reason):
    """Checks the held payment's approval is withdrawn with that reason, in the list of approvals and the trail."""
    approvals.payment_approval_withdrawn(context.world, reason)


@then("nothing waits for {name:Persona}'s decision")
def step_nothing_waits(context, name):
    """Checks the person's queue of requests still pending is empty."""
    approvals.nothing_waits_for(context.world, name)


@given("{name:Persona} has removed the company's approval threshold")
def step_remove_threshold(context, name):
    """The person named removes the threshold, so nothing waits for approval any more."""
    approvals.remove_threshold(context.world, name)


@given('Sam has won a deal with "{company}" worth {value:Money}')
def step_won_deal(context, company, value):
    """Sam opens a deal with the client for that value and wins it, which opens a delivery project."""
    sales.open_deal(context.world, "Sam", company, *value)
    sales.win_deal(context.world, "Sam")


@when("{biller:Persona} tries to invoice the project at {rate:Percent} VAT")
def step_try_invoice(context, biller, rate):
    """The person named tries to invoice the won deal's project; the answer is kept for the approval checks."""
    approvals.try_to_invoice(context.world, biller, rate)


@then("{name:Persona} is told the deal awaits approval")
def step_awaits(context, name):
    """Checks the person named was told the invoice waits for an approval, and that one is pending."""
    approvals.told_awaits_approval(context.world, name)


@when("{name:Persona} approves the {subject}")
@when("{name:Persona} tries to approve the {subject}")
def step_approve(context, name, subject):
    """The person named approves (or tries to approve) the pending approval of the subject named."""
    approvals.decide(context.world, name, subject, approve=True)


@when('{name:Persona} rejects the {subject} because "{reason}"')
def step_reject(context, name, subject, reason):
    """The person named rejects the pending approval of the subject named, giving the reason."""
    approvals.decide(context.world, name, subject, approve=False, reason=reason)


@when("{taker:Persona} takes a card payment of {amount:Money} for the invoice")
def step_take_payment(context, taker, amount):
    """The person named takes a card payment of that amount for the invoice, as a client would at the desk."""
    approvals.pays_as(context.world, taker, *amount)


@then("the payment is held for approval")
def step_held(context):
    """Checks the payment was held for approval: nothing charged, the invoice still due."""
    approvals.payment_held(context.world)


@then("the approval names the payment it let through")
def step_approval_names_payment(context):
    """Checks the approval's answer names the invoice's one payment."""
    approvals.approval_names_the_payment(context.world)


@then("the decision is refused because {reason}")
def step_decision_refused(context, reason):
    """Checks the last decision was refused for the reason named, in business words."""
    approvals.decision_refused(context.world, reason)


@then('the rejection is recorded with the reason "{reason}"')
def step_rejection_reason(context, reason):
    """Checks the rejected approval records the reason given."""
    approvals.rejection_says(context.world, reason)


@then("the audit trail shows, in order: {actions:List}")
def step_audit_trail(context, actions):
    """Reads the company's audit trail and checks its actions are those listed, in order."""
    compliance_checks.audit_trail_is(context.world, actions)


@then("the audit trail ends with: {actions:List}")
def step_audit_trail_end(context, actions):
    """Reads the company's audit trail and checks its last actions are those listed."""
    compliance_checks.audit_trail_ends_with(context.world, actions)
