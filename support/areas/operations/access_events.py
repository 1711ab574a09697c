"""Refusals and role changes as security events of the company's audit trail, read by its compliance officer.

World facts written here: ``operations.refused``, ``operations.role_change``, ``operations.role_changes``."""

from __future__ import annotations

from hamcrest import assert_that, contains_exactly, equal_to, has_entries, has_length

from support.clients.paths import Compliance, Sales, Tenancy
from support.clients.platform_api import Answer
from support.report.evidence import attach_json
from support.scenario.together import sent_behind
from support.scenario.world import World

# what a feature says a person tried: (method, the route as the API names it, the call made)
OPERATIONS = {
    "read the audit trail": ("GET", Compliance.AUDIT, lambda api: api.get(Compliance.AUDIT)),
    "capture a lead": (
        "POST",
        Sales.LEADS,
        lambda api: api.post(Sales.LEADS, {"company": "Tried Co", "contact_name": "Ann", "estimated_value": "10.00"}),
    ),
    "add a colleague": (
        "POST",
        Tenancy.USERS,
        lambda api: api.post(
            Tenancy.USERS, {"email": "new@tried.example", "name": "New", "role": "sales", "password": "Secret-123!"}
        ),
    ),
}


def tries(world: World, name: str, operation: str) -> Answer:
    _, _, call = OPERATIONS[operation]
    world.operations.refused = call(world.actor(name).api)
    return world.operations.refused


def refused(world: World, name: str) -> None:
    assert_that(world.operations.refused.status, equal_to(403), f"the answer to {name}'s attempt")


def _entries(world: World, reader: str, action: str) -> list[dict]:
    entries = [e for e in world.actor(reader).lists(Compliance.AUDIT) if e["action"] == action]
    attach_json(f"{action} entries in the audit trail, as {reader} reads them", entries)
    return entries


def denial_recorded(world: World, reader: str, name: str, operation: str) -> None:
    method, path, _ = OPERATIONS[operation]
    denied = _entries(world, reader, "access_denied")
    assert_that(
        [(e["actor_id"], e["data"]["operation"]) for e in denied],
        contains_exactly((world.actor(name).user_id, f"{method} {path}")),
        f"who was denied what, in the trail {reader} reads",
    )


def changes_role(world: World, changer: str, name: str, role: str) -> Answer:
    user_id = world.actor(name).user_id
    world.operations.role_change = world.actor(changer).api.call("PATCH", Tenancy.user(user_id), json={"role": role})
    return world.operations.role_change


def has_changed_role(world: World, changer: str, name: str, role: str) -> None:
    """A change of role the scenario starts from, answered with the new role."""
    changes_role(world, changer, name, role)
    role_changed(world, name, role)


def change_each_others_role_at_once(world: World, first: str, second: str, role: str) -> None:
    """``first`` gives ``second`` the role, and ``second`` gives it to ``first``, at the same moment, while a
    long job holds the company's records: both changes are under way together, whatever the machine's speed,
    until both wait (behind the job, or one behind the other); then the job ends."""
    changers = [world.actor(first), world.actor(second)]  # signed in before the moment
    changed = [changers[1], changers[0]]
    job = world.long_job_holding_records()
    [answers] = sent_behind(
        job,
        (2, lambda i: changers[i].api.call("PATCH", Tenancy.user(changed[i].user_id), json={"role": role})),
        what="the two changes of role",
    )
    world.operations.role_changes = {first: answers[0], second: answers[1]}


def one_of_each_others_changes_made(world: World, role: str) -> None:
    """Exactly one change is made; the other is refused, its maker no longer holding the right to make it
    (the first change came first); and the people are as the one change left them."""
    answers = world.operations.role_changes
    attach_json("the two changes of role, as answered", {name: answer.body for name, answer in answers.items()})
    made = [name for name, answer in answers.items() if answer.status == 200]
    assert_that(made, has_length(1), f"the changes made, of two owners giving each other the {role} role")
    maker = made[0]
    [other] = [name for name in answers if name != maker]
    refusal = answers[other]
    assert_that(
        (refusal.status, refusal.error_code),
        equal_to((403, "forbidden")),
        f"{other}'s change, made once {maker}'s had taken {other}'s right to change roles: {refusal.body}",
    )
    roles = {person["id"]: person["role"] for person in world.actor(maker).lists(Tenancy.USERS)}
    assert_that(
        (roles[world.actor(maker).user_id], roles[world.actor(other).user_id]),
        equal_to(("owner", role)),
        f"{maker}'s role and {other}'s, after {maker}'s change alone",
    )


def role_changed(world: World, name: str, role: str) -> None:
    answer = world.operations.role_change
    assert_that(answer.status, equal_to(200), f"changing {name}'s role")
    assert_that(answer.body, has_entries(role=role), f"{name}'s role, as the platform answers it")


# why a role change is refused, as a feature says it -> (status, the error's code, the field it names)
ROLE_CHANGE_REFUSALS = {
    "only the owner changes roles": (403, "forbidden", None),
    "nobody changes their own role": (409, "own_role", "user_id"),
}


def role_change_refused(world: World, because: str) -> None:
    answer = world.operations.role_change
    status, code, field = ROLE_CHANGE_REFUSALS[because]
    assert_that(
        (answer.status, answer.error_code, answer.body["error"].get("field")),
        equal_to((status, code, field)),
        f"the role change, refused because {because}: {answer.body}",
    )


def role_change_recorded(world: World, reader: str, changer: str, name: str, old: str, new: str) -> None:
    changes = _entries(world, reader, "role_changed")
    assert_that(
        [(e["actor_id"], e["entity_id"], e["data"]) for e in changes],
        contains_exactly((world.actor(changer).user_id, world.actor(name).user_id, {"from": old, "to": new})),
        f"the role changes in the trail {reader} reads",
    )


def changes_to_role_recorded(world: World, reader: str, role: str, count: int) -> None:
    changes = [e for e in _entries(world, reader, "role_changed") if e["data"]["to"] == role]
    assert_that(changes, has_length(count), f"changes to the {role} role in the trail {reader} reads")


def no_role_change_recorded(world: World, reader: str) -> None:
    assert_that(_entries(world, reader, "role_changed"), equal_to([]), f"role changes in the trail {reader} reads")
