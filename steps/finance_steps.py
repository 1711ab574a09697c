"""Finance: forecast, receivables, profit and loss, revenue; caching of reports."""

from behave import given, then, when

from support.areas.billing import tasks as billing
from support.areas.finance import reports as finance


@given('Sam has an open deal with "{company}" worth {value:Money} at the {stage:w} stage')
def step_deal_at_stage(context, company, value, stage):
    finance.open_deal_at_stage(context.world, company, *value, stage)


@given('Fiona has issued an invoice to "{company}" for {net:Money} at {rate:Percent} VAT, due in {days:d} days')
def step_invoice_with_terms(context, company, net, rate, days):
    billing.issued_invoice(context.world, company, *net, rate, days)


@then("the forecast shows {weighted:Money} weighted from {amount:Money} open")
def step_forecast(context, weighted, amount):
    finance.forecast_shows(context.world, weighted[0], *amount)


@then("{days:d} days from today, {amount:Money} is due in the {bucket} bucket of receivables")
def step_ageing(context, days, amount, bucket):
    finance.ageing_shows(context.world, days, *amount, bucket)


@given("{name:Persona} has read today's receivables")
def step_read_ageing(context, name):
    finance.read_ageing(context.world, name)


@then("today nothing is due")
def step_nothing_due(context):
    finance.nothing_due(context.world)


@then(
    "this month's profit and loss shows revenue {revenue:Money}, cost of sales {costs:Money} and gross profit {profit:Money}"
)
def step_profit_and_loss(context, revenue, costs, profit):
    finance.profit_and_loss_this_month(context.world, revenue[0], costs[0], *profit)


@then("this month's revenue received is {amount:Money}")
def step_revenue(context, amount):
    finance.revenue_this_month(context.world, *amount)


@when("{people:d} people read the forecast at the same time")
def step_many_read(context, people):
    finance.many_read_forecast_at_once(context.world, people)


@then("the forecast was computed once")
def step_computed_once(context):
    finance.computed_once(context.world)


@given("{name:Persona} has read the forecast")
def step_read_forecast(context, name):
    finance.read_forecast(context.world, name)


@when("someone overwrites the cached forecast with {garbage}")
def step_damage_cache(context, garbage):
    finance.cached_forecast_damaged(context.world, garbage)
