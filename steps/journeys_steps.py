"""The whole customer journey, from campaign to support."""

from behave import given, then, when

from support.areas.journeys import customer_journey as journey


@given('Olivia runs the "{name}" campaign with a budget of {budget:Money}')
def step_campaign(context, name, budget):
    """Olivia starts the campaign named with that budget."""
    journey.start_campaign(context.world, name, *budget)


@given('{seller:Persona} has a qualified lead from "{company}" worth {value:Money} from the campaign')
def step_campaign_lead(context, seller, company, value):
    """The seller named captures a lead attributed to the campaign and qualifies it."""
    journey.lead_from_campaign(context.world, seller, company, *value)


@when("{company:Company} pays the invoice in full by card")
def step_pays_in_full(context, company):
    """The client company named pays what the invoice still has due."""
    journey.pays_in_full(context.world, company)


@when('{company:Company} opens a support ticket "{subject}"')
def step_open_ticket(context, company, subject):
    """The client company named opens a support ticket with that subject."""
    journey.open_ticket(context.world, company, subject)


@when('{company:Company} tries to open a support ticket "{subject}"')
def step_try_open_ticket(context, company, subject):
    """The client company named, whose delivery has not begun, tries to open a support ticket."""
    journey.try_to_open_ticket(context.world, company, subject)


@then("the ticket is refused, because support starts once the client's delivery has started")
def step_ticket_refused_before_delivery(context):
    """Checks the ticket was refused naming the client."""
    journey.ticket_refused_before_delivery(context.world)


@when('{name:Persona} answers the ticket "{answer}"')
def step_answer(context, name, answer):
    """The person named answers the ticket, and the answer is accepted."""
    journey.change_ticket(context.world, name, "answer", answer)
    journey.ticket_change_accepted(context.world)


@then("{name:Persona} finds each answer given on the ticket in the audit trail, in order")
def step_answers_kept(context, name):
    """Checks the trail holds every answer of the table, in the order given."""
    journey.answers_kept(context.world, name, [row["answer"] for row in context.table])


@when("{name:Persona} closes the ticket")
def step_close(context, name):
    """The person named closes the ticket, and the close is accepted."""
    journey.change_ticket(context.world, name, "close")
    journey.ticket_change_accepted(context.world)


@when("{name:Persona} tries to close the ticket")
def step_try_close(context, name):
    """The person named tries to close the ticket."""
    journey.change_ticket(context.world, name, "close")


@then('the ticket is {status:w} with the answer "{answer}"')
def step_ticket_answered(context, status, answer):
    """Checks the ticket's status and its answer."""
    journey.ticket_is(context.world, status, answer)


@then("the ticket stays open, because an unanswered ticket cannot be closed")
def step_ticket_refused(context):
    """Checks the close was refused and the ticket is still open without an answer."""
    journey.ticket_change_refused(context.world)
    journey.ticket_is(context.world, "open", None)


@then(
    'the "{name}" campaign shows {leads:d} lead, {won:d} won deal, {revenue:Money} received and a return of {result:Money}'
)
def step_campaign_return(context, name, leads, won, revenue, result):
    """Checks the campaign's leads, won deals, revenue received and return."""
    journey.campaign_return(context.world, name, leads, won, revenue, result)


@then('the "{name}" campaign shows {received:Money} received in another currency, apart from its return')
def step_campaign_received_apart(context, name, received):
    """Checks the money the campaign brought in a currency other than its own, shown apart."""
    journey.campaign_received_apart(context.world, name, received)
