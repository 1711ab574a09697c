"""Finance: forecast, receivables, profit and loss, revenue; caching of reports; the day's activity."""

from behave import given, then, when

from support.areas.billing import tasks as billing
from support.areas.finance import activity, company_clock
from support.areas.finance import reports as finance


@given('Sam has an open deal with "{company}" worth {value:Money} at the {stage:w} stage')
def step_deal_at_stage(context, company, value, stage):
    """Sam opens a deal with the client for that value and moves it to the stage named."""
    finance.open_deal_at_stage(context.world, company, *value, stage)


@given('Fiona has issued an invoice to "{company}" for {net:Money} at {rate:Percent} VAT, due in {days:d} days')
def step_invoice_with_terms(context, company, net, rate, days):
    """Fiona issues an invoice to the client for that net amount and VAT rate, due in that many days."""
    billing.issued_invoice(context.world, company, *net, rate, days)


@given("the company's clock stands still")
def step_clock_stands(context):
    """The company's clock stands at this whole second on every platform instance, until the scenario ends."""
    company_clock.stands_still(context.world)


@given("the company's clock has moved on {seconds:d} seconds")
def step_clock_moves(context, seconds):
    """The company's standing clock moves on that many seconds, and stands there."""
    company_clock.moves_on(context.world, seconds)


@then("the forecast shows {weighted:Money} weighted from {amount:Money} open")
def step_forecast(context, weighted, amount):
    """Reads the forecast and checks the weighted and the open amounts."""
    finance.forecast_shows(context.world, weighted, amount)


@then("{days:d} days from today, {amount:Money} is due in the {bucket} bucket of receivables")
def step_ageing(context, days, amount, bucket):
    """Reads the receivables as of that many days from today and checks the amount in the bucket named."""
    finance.ageing_shows(context.world, days, *amount, bucket)


@given("{name:Persona} has read today's receivables")
def step_read_ageing(context, name):
    """The person named reads today's receivables, which fills the cache."""
    finance.read_ageing(context.world, name)


@then("today nothing is due")
def step_nothing_due(context):
    """Checks today's receivables hold nothing in any bucket."""
    finance.nothing_due(context.world)


@then(
    "this month's profit and loss shows revenue {revenue:Money}, cost of sales {costs:Money} and gross profit {profit:Money}"
)
def step_profit_and_loss(context, revenue, costs, profit):
    """Reads this month's profit and loss and checks revenue, cost of sales and gross profit."""
    finance.profit_and_loss_this_month(context.world, revenue, costs, profit)


@given("{biller:Persona} issued these invoices at {rate:Percent} VAT, each dated at the instant shown")
def step_invoices_at_instants(context, biller, rate):
    """The person named issues one invoice per row; the harness then dates each at its instant (UTC)."""
    finance.invoices_issued_at(context.world, biller, rate, [row.as_dict() for row in context.table])


@then("the profit and loss shows this {figure} for each span of whole months")
def step_figure_per_span(context, figure):
    """Reads the profit and loss of each row's span and checks the figure named (revenue, cost of sales)."""
    finance.figure_per_span(context.world, figure, [row.as_dict() for row in context.table])


@given(
    "{biller:Persona} invoiced these clients at {rate:Percent} VAT, each paid in full, its commission dated at the instant shown"
)
def step_commissions_at_instants(context, biller, rate):
    """The person named invoices each row's client, who pays in full; the harness dates the commission earned."""
    finance.commissions_earned_at(context.world, biller, rate, [row.as_dict() for row in context.table])


@given("{biller:Persona} invoiced these clients at {rate:Percent} VAT, each paid in full at the instant shown")
def step_payments_at_instants(context, biller, rate):
    """The person named invoices each row's client, who pays in full; the harness dates each payment."""
    finance.payments_received_at(context.world, biller, rate, [row.as_dict() for row in context.table])


@then("the revenue received shows these months")
def step_revenue_per_month(context):
    """Reads the revenue received by month and checks it shows the rows' months and amounts, and no other."""
    finance.revenue_per_month(context.world, [row.as_dict() for row in context.table])


@then("this month's revenue received is {amount:Money}")
def step_revenue(context, amount):
    """Reads this month's revenue received and checks that amount."""
    finance.revenue_this_month(context.world, *amount)


@when("{people:d} people read the forecast at the same time")
def step_many_read(context, people):
    """That many people read the cold forecast at the same moment."""
    finance.many_read_forecast_at_once(context.world, people)


@then("the forecast was computed once")
def step_computed_once(context):
    """Checks the forecast was computed once for all of them (the platform's computation counter)."""
    finance.computed_once(context.world)


@given("{name:Persona} has read the forecast")
def step_read_forecast(context, name):
    """The person named reads the forecast, which fills the cache."""
    finance.read_forecast(context.world, name)


@when("someone overwrites the cached forecast with {garbage}")
def step_damage_cache(context, garbage):
    """Overwrites the cached forecast in Redis with the damage named."""
    finance.cached_forecast_damaged(context.world, garbage)


@then(
    "the sales summary shows {pipeline:Money} open, {won:Money} won, {invoiced:Money} invoiced, "
    "{received:Money} received and {outstanding:Money} outstanding"
)
def step_sales_summary(context, pipeline, won, invoiced, received, outstanding):
    """Reads the sales summary and checks the open pipeline, won, invoiced, received and outstanding amounts."""
    figures = {"open_pipeline": pipeline, "won": won, "invoiced": invoiced, "received": received}
    finance.sales_summary_shows(context.world, {**figures, "outstanding": outstanding})


@when("{someone:Someone} captures {count:d} leads worth {value:Money} each at the same time")
def step_burst(context, someone, count, value):
    """Captures that many leads at once as the person named (of the company named); keeps them for the activity check."""
    activity.burst_of_leads(context.world, *someone, count, *value)


@then("{company:Company}'s activity today shows {count:d} {event} worth {amount:Money}")
def step_activity(context, company, count, event, amount):
    """Reads the company's activity for today and checks the count and the sum of the event named."""
    activity.activity_today_shows(context.world, company, count, event, amount)


@then("{company:Company}'s activity today shows {count:d} {event}, moving no money")
def step_activity_no_money(context, company, count, event):
    """Checks today's activity report counts that many of the event with no currency and a zero amount."""
    activity.activity_today_moves_no_money(context.world, company, count, event)


@given("{name:Persona} captured these leads, each recorded in the trail at the instant shown")
def step_leads_at_instants(context, name):
    """The person named captures one lead per row; the harness dates each one's trail entry at its instant."""
    activity.leads_recorded_at(context.world, name, [row.as_dict() for row in context.table])


@then("the activity of each day shows these leads captured")
def step_leads_per_day(context):
    """Reads each row's day of activity and checks the leads captured counted and their worth."""
    activity.leads_per_day(context.world, [row.as_dict() for row in context.table])


@then("{company:Company}'s activity yesterday and tomorrow shows no {event}")
def step_no_activity_around_today(context, company, event):
    """Reads the company's activity for the day before and the day after today; checks none of the event named."""
    activity.no_activity_the_day_before_or_after(context.world, company, event)
