"""Performance: the seeds' figures measured against a yardstick in the same run."""

from behave import given, then, when

from support.areas.performance import api_load, yardstick
from support.areas.performance import checks as expect


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


@when("each of them reads the company's deals {times:d} times, one answer after another, over every instance")
def step_people_read(context, times):
    """Everyone reads their company's deals that many times, all at once, dealt to every platform instance."""
    api_load.people_read_their_deals(context.world, times)


@when("as many people read the yardstick's bare list as often")
def step_people_read_yardstick(context):
    """The same people read the yardstick's bare list as often, the same way."""
    api_load.people_read_the_yardstick(context.world)


@then("every answer is a whole list showing the reader's own company's deal and no other")
def step_reads_whole_and_own(context):
    """Checks every answer was a whole list, each company's people shown its one deal only."""
    expect.every_read_whole_and_own(context.world)


@then("the slowest twentieth's wait and the answers a second are within their thresholds")
def step_reads_within_thresholds(context):
    """Checks the reads' p95 (against the yardstick's and half a second) and answers a second (thresholds.toml)."""
    expect.reads_within_thresholds(context.world)
