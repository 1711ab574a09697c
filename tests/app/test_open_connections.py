"""The assistant connections a person holds open on an instance: counted one by one, bounded, given back."""

from __future__ import annotations

import uuid

from app.adapters.open_connections import OpenConnections

COMPANY, SAM, FIONA = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def test_a_person_takes_as_many_as_the_bound_and_no_more_and_a_colleague_is_counted_apart():
    held = OpenConnections(per_person=2)
    assert [held.take(COMPANY, SAM) for _ in range(3)] == [True, True, False]
    held.give_back(COMPANY, SAM)
    assert [held.take(COMPANY, SAM) for _ in range(2)] == [True, False], "a refused connection is not counted"
    assert held.take(COMPANY, FIONA)
    assert held.take(uuid.uuid4(), SAM), "the same person's id in another company is another person"


def test_a_connection_given_back_lets_the_next_in_and_the_last_leaves_nothing_counted():
    held = OpenConnections(per_person=1)
    assert held.take(COMPANY, SAM)
    held.give_back(COMPANY, SAM)
    assert held.take(COMPANY, SAM)
    held.give_back(COMPANY, SAM)
    assert not held._held, "nothing is kept for a person with no connection open"
