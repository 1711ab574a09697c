"""Approvals of high-value deals and payments."""

from behave import given, then, when

from support.areas.compliance import approvals
from support.areas.sales import tasks as sales


@given("the company's approval threshold is {amount:Money}")
def step_threshold(context, amount):
    """Sets the tenant's approval threshold as its owner."""
    approvals.set_threshold(context.world, amount)


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


@then("the decision is refused because {reason}")
def step_decision_refused(context, reason):
    """Checks the last decision was refused for the reason named, in business words."""
    approvals.decision_refused(context.world, reason)


@then('the rejection is recorded with the reason "{reason}"')
def step_rejection_reason(context, reason):
    """Checks the rejected approval records the reason given."""
    approvals.rejection_says(context.world, reason)
