"""Analytics: what happened in each company today."""

from behave import then, when

from support.areas.finance import activity as analytics


@when("{someone:Someone} captures {count:d} leads worth {value:Money} each at the same time")
def step_burst(context, someone, count, value):
    """Captures that many leads at once as the person named (of the company named); keeps them for the activity check."""
    analytics.burst_of_leads(context.world, *someone, count, *value)


@then("{company:Company}'s activity today shows {count:d} {event} worth {amount:Money}")
def step_activity(context, company, count, event, amount):
    """Reads the company's activity for today and checks the count and the sum of the event named."""
    analytics.activity_today_shows(context.world, company, count, event, amount)


@then("{company:Company}'s activity yesterday and tomorrow shows no {event}")
def step_no_activity_around_today(context, company, event):
    """Reads the company's activity for the day before and the day after today; checks none of the event named."""
    analytics.no_activity_the_day_before_or_after(context.world, company, event)
