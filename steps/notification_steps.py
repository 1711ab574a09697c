"""Notifications: who hears about what, live and listed."""

from behave import given, then, when

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


@when("{reader:Persona} marks {owner:Persona}'s notification read")
def step_mark_read(context, reader, owner):
    """The first person named marks the second one's notification read."""
    notifications.marks_read(context.world, reader, owner)


@then("{name:Persona} is told the notification does not exist")
def step_notification_not_found(context, name):
    """Checks the person named was answered that the notification does not exist."""
    notifications.told_notification_does_not_exist(context.world, name)


@then("{owner:Persona}'s notification is {state:ReadState}")
def step_read_state(context, owner, state):
    """Checks whether the person named has read their notification (read or unread)."""
    notifications.notification_read_state(context.world, owner, state)
