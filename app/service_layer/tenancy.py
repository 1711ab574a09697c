"""Companies, their people and sign-in."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import redis

from app.adapters.company_cache import forget_company
from app.adapters.credentials import TokenClaims, TokenSigner, hash_password, password_matches
from app.adapters.sign_in_throttle import SignInThrottle
from app.adapters.unit_of_work import UnitOfWork, UnitOfWorkFactory
from app.domain.accounts import account_email
from app.domain.commission import DEFAULT_COMMISSION_RATE
from app.domain.errors import Conflict, NotFound, TooManyAttempts, Unauthenticated
from app.domain.records import PersonRecord
from app.domain.roles import Permission, Role
from app.service_layer.principal import Principal

log = logging.getLogger("app.tenancy")


@dataclass(frozen=True, slots=True)
class Newcomer:
    """A person to add to a company, with the password they will sign in with."""

    email: str
    name: str
    role: Role
    password: str
    commission_rate: Decimal | None = None


def create_company(
    uow: UnitOfWorkFactory,
    *,
    name: str,
    slug: str,
    owner: Newcomer,
    people: Sequence[Newcomer] = (),
    hash_iterations: int,
) -> dict[str, Any]:
    """Creates a company with its owner and, in the same transaction, its first ``people`` (each audited as
    added, like the owner). Returns the company and the people, the owner first."""
    with uow() as u:
        company = u.companies.add(name=name, slug=slug)
        if company is None:
            raise Conflict("slug_taken", f"a tenant named {slug!r} already exists", field="slug")
        u.enter(company["id"])
        u.audit.append(
            action="tenant_created",
            actor_id=None,
            entity_type="tenant",
            entity_id=company["id"],
            data={"slug": slug},
        )
        added = [_add_person(u, owner, added_by=None, hash_iterations=hash_iterations)]
        added += [_add_person(u, person, added_by=None, hash_iterations=hash_iterations) for person in people]
        return {"tenant": company, "people": added}


def _add_person(u: UnitOfWork, person: Newcomer, *, added_by: uuid.UUID | None, hash_iterations: int) -> PersonRecord:
    """Adds ``person`` to the company ``u`` is in, audited as added by ``added_by`` (None: the operator)."""
    email = account_email(person.email)
    taken = Conflict("email_taken", f"{person.email} already has an account in this tenant", field="email")
    if u.people.email_taken(email):  # before the password's hashing, its dearest part
        raise taken
    rate = (
        person.commission_rate
        if person.commission_rate is not None
        else (DEFAULT_COMMISSION_RATE if person.role is Role.SALES else Decimal("0"))
    )
    user = u.people.add(
        email=email,
        name=person.name,
        role=person.role.value,
        password_hash=hash_password(person.password, iterations=hash_iterations),
        commission_rate=rate,
    )
    if user is None:  # added a moment ago by a request sent with this one
        raise taken
    u.audit.append(
        action="user_added",
        actor_id=added_by,
        entity_type="user",
        entity_id=user["id"],
        data={"role": person.role.value},
    )
    return user


def remove_company(uow: UnitOfWorkFactory, cache: redis.Redis, company_id: uuid.UUID) -> dict[str, int]:
    """Removes a company and everything it holds (platform operators only): its people, records, audit
    trail and settings, in one transaction, then its cache. Returns how many rows went, by table."""
    with uow(company=company_id) as u:
        company = u.companies.by_id(company_id)
        removed = u.companies.remove_company(company_id)
        if company is None or not removed["tenants"]:  # not there, or removed by a removal this one waited for
            raise NotFound("tenant not found")
        u.companies.copy_analytics_again(company_id)  # its events in the analytics store are forgotten next
        u.sessions_changed(None)
    log.warning("operator removed the company %s (%s): %s rows", company["slug"], company_id, sum(removed.values()))
    forget_company(cache, company_id)
    return removed


def add_user(uow: UnitOfWorkFactory, principal: Principal, person: Newcomer, *, hash_iterations: int) -> PersonRecord:
    principal.require(Permission.MANAGE_USERS)
    with uow(company=principal.company_id) as u:
        return _add_person(u, person, added_by=principal.user_id, hash_iterations=hash_iterations)


def list_users(uow: UnitOfWorkFactory, principal: Principal) -> list[PersonRecord]:
    principal.require(Permission.READ_USERS)
    with uow(company=principal.company_id) as u:
        return u.people.all()


def sign_in(
    uow: UnitOfWorkFactory,
    signer: TokenSigner,
    throttle: SignInThrottle,
    *,
    company_slug: str,
    email: str,
    password: str,
    source: str,
    hash_iterations: int,
) -> dict[str, Any]:
    """Returns an access token; one message and the same work (a password hashed at ``hash_iterations`` when no
    account was found) for every failure, so neither the answer nor its time tells which part was wrong.

    Raises:
        Unauthenticated: an unknown company or e-mail, or a wrong password.
        TooManyAttempts: too many failures for this account or from this source lately (whatever the password).
    """
    wait = throttle.admit(company_slug, email, source)  # counted as a failure until it succeeds
    if wait:
        raise TooManyAttempts(f"too many failed sign-ins; try again in {wait} s", retry_after=wait)
    with uow() as u:
        company = u.companies.by_slug(company_slug)
        if company is not None:
            u.enter(company["id"])
        user = u.people.by_email(account_email(email)) if company else None
    matches = password_matches(password, user["password_hash"] if user else None, iterations_if_none=hash_iterations)
    if user is None or not matches:
        if user is not None:  # a wrong password for a real account: its company's security trail
            _security_event(uow, user, "sign_in_failed", source)
        raise Unauthenticated("unknown tenant, email or password")
    throttle.succeeded(company_slug, email, source)
    _security_event(uow, user, "signed_in", source)
    token, expires_in = signer.issue(user_id=user["id"], company_id=user["tenant_id"])
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": expires_in,
        "user_id": user["id"],
        "tenant_id": user["tenant_id"],
        "role": user["role"],
    }


def company_of(signer: TokenSigner, token: str) -> uuid.UUID:
    """The company a token was signed for, read from the token alone (``authenticate`` says whether it holds).

    Raises:
        Unauthenticated: a bad or expired token.
    """
    return signer.verify(token).company_id


def authenticate(uow: UnitOfWorkFactory, signer: TokenSigner, token: str, *, hold: bool = False) -> Principal:
    """The caller behind a token, with their role as it is now.

    ``hold`` keeps the person's row locked (shared) until the unit of work ends: a role change, a sign-out
    or a removal made meanwhile waits for it, so work done in that unit is done with rights the person
    still has when it commits.

    Raises:
        Unauthenticated: a bad, expired or signed-out token, or a person (or company) no longer there.
    """
    return caller_of(uow, signer.verify(token), hold=hold)


def caller_of(uow: UnitOfWorkFactory, claims: TokenClaims, *, hold: bool = False) -> Principal:
    """The caller behind a token already verified (``claims``), with their role as it is now: ``authenticate``
    for work that checks the session in its own unit of work.

    Raises:
        Unauthenticated: a signed-out token, or a person (or company) no longer there.
    """
    with uow() as u:
        user = u.enter_signed_in(claims.company_id, claims.user_id, claims.token_id, hold=hold, issued=claims.issued_at)
        if user is None:
            gone = u.companies.by_id(claims.company_id) is None
            raise Unauthenticated("this company has been removed" if gone else "the token's user no longer exists")
        if user["signed_out"]:
            raise Unauthenticated("this session has been signed out")
    return Principal(user_id=user["id"], company_id=user["company_id"], role=Role(user["role"]))


def sign_out(uow: UnitOfWorkFactory, signer: TokenSigner, token: str) -> None:
    """Revokes the token until it would have expired anyway; the sign-out is in the security trail.

    Raises:
        Unauthenticated: a bad or expired token, or a session that has ended already (signed out, or its person
            or company gone): a session that has ended does nothing, not even sign out again into the trail.
    """
    claims = signer.verify(token)
    with uow() as u:
        user = u.enter_signed_in(claims.company_id, claims.user_id, claims.token_id, issued=claims.issued_at)
        if user is None or user["signed_out"]:
            raise Unauthenticated("this session has ended")
        u.people.hold_for_change(claims.user_id)  # waits for a write that holds the person's rights
        if not u.people.revoke_token(claims.token_id, claims.expires_at):
            raise Unauthenticated("this session has ended")  # signed out by another request meanwhile
        u.sessions_changed(claims.user_id)
        u.audit.append(
            action="signed_out",
            actor_id=claims.user_id,
            entity_type="user",
            entity_id=claims.user_id,
        )


def _security_event(uow: UnitOfWorkFactory, user: PersonRecord, action: str, source: str) -> None:
    with uow(company=user["tenant_id"]) as u:
        u.audit.append(
            action=action,
            actor_id=user["id"],
            entity_type="user",
            entity_id=user["id"],
            data={"source": source[:64]},
        )


def record_access_denied(
    uow: UnitOfWorkFactory, *, company_id: uuid.UUID, user_id: uuid.UUID, permission: str, operation: str
) -> None:
    """A refused operation, in the company's security trail: who tried what, needing which permission."""
    with uow(company=company_id) as u:
        u.audit.append(
            action="access_denied",
            actor_id=user_id,
            entity_type="user",
            entity_id=user_id,
            data={"permission": permission, "operation": operation[:200]},
        )


def change_role(uow: UnitOfWorkFactory, principal: Principal, user_id: uuid.UUID, role: Role) -> dict[str, Any]:
    """Gives a person of the company another role, from their next request on.

    Raises:
        PermissionDenied: the caller may not manage users.
        NotFound: no such person in the caller's company.
        Conflict own_role: nobody changes their own role (a company is never left without its owner).
    """
    principal.require(Permission.MANAGE_USERS)
    if user_id == principal.user_id:
        raise Conflict("own_role", "nobody may change their own role", field="user_id")
    with uow(company=principal.company_id) as u:
        # the caller's rights as they are once no other change of these two people is under way: two owners
        # taking each other's role at the same moment would otherwise both be let through, and leave the
        # company without the owner each thought would remain
        roles = u.people.roles_held_for_change(principal.user_id, user_id)
        if principal.user_id not in roles:
            raise Unauthenticated("the token's user no longer exists")
        replace(principal, role=Role(roles[principal.user_id])).require(Permission.MANAGE_USERS)
        user = u.people.get(user_id)
        if user is None:
            raise NotFound("user not found")
        if user["role"] != role.value:
            u.people.change_role(user_id, role.value)
            u.sessions_changed(user_id)
            u.audit.append(
                action="role_changed",
                actor_id=principal.user_id,
                entity_type="user",
                entity_id=user_id,
                data={"from": user["role"], "to": role.value},
            )
        return {**user, "role": role.value}


def current_user(uow: UnitOfWorkFactory, principal: Principal) -> PersonRecord:
    with uow(company=principal.company_id) as u:
        user = u.people.get(principal.user_id)
    assert user is not None
    return user
