"""Notifications: who hears about what, live and listed."""

from behave import given, then

from support.areas.sales import notifications


@given("{name:Persona} has the platform open")
def step_platform_open(context, name):
    """The person named has a live notification connection open."""
    notifications.keeps_platform_open(context.world, name)


@then('{name:Persona} is notified at once that "{text}"')
def step_notified_live(context, name, text):
    """Checks the person named received that notification live."""
    notifications.notified_live(context.world, name, text)


@then('{name:Persona}\'s notifications list "{text}"')
def step_listed(context, name, text):
    """Checks the person named finds that notification in their list."""
    notifications.listed(context.world, name, text)


@then("{name:Persona} is not notified")
def step_not_notified(context, name):
    """Checks the person named received no notification, live or listed."""
    notifications.not_notified(context.world, name)
