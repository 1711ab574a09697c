"""Performance: the seeds' figures measured against a yardstick in the same run."""

from behave import given, then, when

from support.areas.performance import checks as expect
from support.areas.performance import yardstick


@given("the yardstick runs beside the platform")
def step_yardstick(context):
    """Starts the bare socket the figures are measured against, served like the platform."""
    yardstick.yardstick_runs(context.world)


@when('as many people ask the yardstick "{question}" at the same time')
def step_crowd_asks_yardstick(context, question):
    """The same people ask the yardstick the same question at the same instant."""
    yardstick.crowd_asks_the_yardstick(context.world, question)


@then(
    "the wall time, the slowest twentieth's wait, the share told busy, the CPU for each question and the memory"
    " are within their thresholds"
)
def step_burst_within_thresholds(context):
    """Checks the platform's ratios to the yardstick and its costs against features/performance/thresholds.toml."""
    expect.burst_within_thresholds(context.world)
