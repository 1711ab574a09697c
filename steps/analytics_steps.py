"""Analytics: the funnel, the money received per day, the platform's use and how fresh they are, read from
the analytics store."""

from behave import given, then, when

from support.areas.analytics import checks as expect
from support.areas.analytics import tasks as analytics


@given(
    "{seller:Persona} has {leads:d} leads worth {value:Money} each, "
    "qualified {qualified:d} of them and won a deal from {won:d}"
)
def step_funnel_made(context, seller, leads, value, qualified, won):
    """The person named captures that many leads of different clients, qualifies some and wins deals from some."""
    analytics.leads_through_the_funnel(context.world, seller, leads, qualified, won, *value)


@given("{seller:Persona} has captured {leads:d} leads worth {value:Money} each")
def step_leads_captured(context, seller, leads, value):
    """The person named captures that many leads of different clients, one after the other."""
    analytics.leads_through_the_funnel(context.world, seller, leads, 0, 0, *value)


@when("every event of the company reaches the analytics store a second time")
def step_delivered_again(context):
    """Delivers every event of the company to the store once more, as a retried batch would."""
    analytics.delivered_again(context.world)


@when("the analytics store takes {milliseconds:d} ms to answer each query")
def step_store_slow(context, milliseconds):
    """Makes the analytics store wait that long before each query, as a store under load would."""
    analytics.store_slows_down(context.world, milliseconds)


@then("{seller:Persona} captures {count:d} leads one after the other within {seconds:d} seconds")
def step_captures_unhurried(context, seller, count, seconds):
    """The person named captures that many leads in turn; checks they took no longer than that in all."""
    expect.captures_unhurried(context.world, seller, count, seconds)


@when("every platform instance is killed and started again")
def step_every_instance_restarted(context):
    """Kills each platform instance outright and starts it again, one after the other."""
    analytics.every_instance_killed_and_started(context.world)


@given("the analytics have caught up within {seconds:d} seconds")
@then("the analytics catch up within {seconds:d} seconds")
def step_caught_up(context, seconds):
    """Waits until no business event of the company is left out of the analytics, at most that long."""
    expect.caught_up_within(context.world, seconds)


@then(
    "this month's funnel shows {leads:d} leads, {qualified:d} qualified, {won:d} won, "
    "{invoiced:d} invoiced and {paid:d} paid"
)
def step_funnel_shows(context, leads, qualified, won, invoiced, paid):
    """Reads this month's funnel and checks each of its stages."""
    stages = {"leads": leads, "qualified": qualified, "won": won, "invoiced": invoiced, "paid": paid}
    expect.funnel_shows(context.world, stages)


@then("this month's funnel shows the campaign's {leads:d} lead and {won:d} won deal")
@then("this month's funnel shows the campaign's {leads:d} leads and {won:d} won deals")
def step_campaign_converts(context, leads, won):
    """Reads this month's funnel and checks the campaign's leads and the deals won from them."""
    expect.campaign_converts(context.world, leads, won)


@then("{someone:Someone} sees {leads:d} leads in this month's funnel")
def step_sees_leads(context, someone, leads):
    """The person named (of the company named) reads this month's funnel and checks its leads."""
    expect.sees_leads(context.world, *someone, leads)


@then("today's money received in the analytics is {amounts:MoneyList}, as the platform's own records say")
def step_received_today(context, amounts):
    """Reads today's money received per currency and checks it against the amounts and the platform's revenue."""
    expect.received_today_is(context.world, amounts)


@then("the events delivered twice are counted once")
def step_counted_once(context):
    """Checks the company's events lie twice in the store and the analytics still wait for none."""
    expect.stored_twice_counted_once(context.world)


@then("{name:Persona} is told the analytics are unavailable for now")
def step_told_unavailable(context, name):
    """The person named reads the analytics and is told they are unavailable, and when to try again."""
    expect.told_unavailable(context.world, name)


@then("{name:Persona} is refused the funnel of {days} days from {first}, naming {field:w}")
def step_refused_naming(context, name, days, first, field):
    """The person named asks for the funnel over that span and is refused, naming the field."""
    expect.refused_naming(context.world, name, days, first, field)


@then(
    "today's use shows {failed_sign_ins:d} failed sign-ins, {questions:d} questions to the assistant, "
    "{answered:d} answered and {failed:d} failed"
)
def step_usage(context, failed_sign_ins, questions, answered, failed):
    """Reads today's use of the platform and checks its failed sign-ins, questions, answers and failures."""
    counts = {"failed_sign_ins": failed_sign_ins, "questions": questions, "answered": answered, "failed": failed}
    expect.usage_today_is(context.world, counts)


@then(
    "today's use counts every sign-in, tool call and token the people were told of, "
    "and no answer slower than was waited for"
)
def step_usage_as_told(context):
    """Checks today's sign-ins, tool calls (and each one's ending, as stored), tokens and answer times as told."""
    expect.usage_as_told(context.world)
