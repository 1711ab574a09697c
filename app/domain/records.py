"""The kinds of business record kept one row per record, named as the API names them."""

from enum import StrEnum


class Kind(StrEnum):
    LEADS = "leads"
    CLIENTS = "clients"
    DEALS = "opportunities"
    PROJECTS = "projects"
    TASKS = "tasks"
    CAMPAIGNS = "campaigns"
    TICKETS = "tickets"
    USERS = "users"
