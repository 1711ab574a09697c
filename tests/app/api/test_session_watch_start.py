"""A connection's session is watched from before it is checked: a sign-out made before the check is refused by it,
and one made after is heard, so the connection closes at once either way, with one check of the session (a
sign-out told between a check and a watch begun after it was heard by nobody: the connection stayed open until
the token expired, one run in several; a second check closed that gap at the cost of a statement a connection)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest

from app.domain.clock import utc_now
from app.domain.errors import Unauthenticated
from app.domain.roles import Role
from app.entrypoints.ws.assistant import Connection, Outbox, SessionClosed, opened_session
from app.service_layer.principal import Principal

PRINCIPAL = Principal(user_id=uuid.uuid4(), company_id=uuid.uuid4(), role=Role.SALES)


class Platform(SimpleNamespace):
    """What ``opened_session`` and a connection use: the session check (``checks`` in turn: a principal, or an
    error raised), the fan-out's watches, the token's claims; ``done`` lists what happened, in order."""

    def __init__(self, *checks: object, noticed_during_check: bool = False) -> None:
        self.done: list[str] = []
        self.watches: list = []

        def watch_sessions(company_id, user_id, told):
            self.done.append("watch begun")
            self.watches.append(told)

            def stop() -> None:
                self.done.append("watch stopped")

            return stop

        async def aio(*_: object, **__: object) -> Principal:
            self.done.append("session checked")
            if noticed_during_check:  # a sign-out committed just after the check read the session
                for told in self.watches:
                    told()
            outcome = checks[len([d for d in self.done if d == "session checked"]) - 1]
            if isinstance(outcome, Exception):
                raise outcome
            assert isinstance(outcome, Principal)
            return outcome

        claims = SimpleNamespace(company_id=PRINCIPAL.company_id, user_id=PRINCIPAL.user_id)
        super().__init__(
            fanout=SimpleNamespace(watch_sessions=watch_sessions),
            tokens=SimpleNamespace(
                verify=lambda _: SimpleNamespace(**vars(claims), expires_at=utc_now() + timedelta(hours=1))
            ),
            aio=aio,
        )


def test_the_watch_begins_before_the_one_check_of_the_session():
    platform = Platform(PRINCIPAL)
    session, _ = asyncio.run(opened_session(platform, "token"))  # type: ignore[arg-type]
    assert session.principal == PRINCIPAL
    assert platform.done == ["watch begun", "session checked"]


def test_a_sign_out_heard_after_the_check_closes_the_connection_at_once():
    platform = Platform(PRINCIPAL, Unauthenticated("the session was signed out"), noticed_during_check=True)

    async def watched() -> None:
        session, watch = await opened_session(platform, "token")  # type: ignore[arg-type]
        connection = Connection(session, platform, Outbox(8), watch)  # type: ignore[arg-type]
        await asyncio.wait_for(connection.session_ends(), 1.0)  # the token expires in an hour

    with pytest.raises(SessionClosed, match="signed out"):
        asyncio.run(watched())


def test_a_session_refused_by_its_check_leaves_no_watch():
    platform = Platform(Unauthenticated("the session was signed out"))
    with pytest.raises(Unauthenticated):
        asyncio.run(opened_session(platform, "token"))  # type: ignore[arg-type]
    assert platform.done == ["watch begun", "session checked", "watch stopped"]
