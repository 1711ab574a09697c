"""Notifications: who hears about what, live and listed."""

from behave import given, then

from support.areas.sales import notifications


@given("{name:Persona} has the platform open")
def step_platform_open(context, name):
    notifications.keeps_platform_open(context.world, name)


@then('{name:Persona} is notified at once that "{text}"')
def step_notified_live(context, name, text):
    notifications.notified_live(context.world, name, text)


@then('{name:Persona}\'s notifications list "{text}"')
def step_listed(context, name, text):
    notifications.listed(context.world, name, text)


@then("{name:Persona} is not notified")
def step_not_notified(context, name):
    notifications.not_notified(context.world, name)
