"""A conversation named by an id that is not even a UUID is one that does not exist, said of the thread_id."""

from __future__ import annotations

import uuid

import pytest

from app.domain.errors import NotFound
from app.service_layer.assistant_threads import thread_uuid


def test_a_conversation_id_that_is_no_uuid_is_a_conversation_not_found_naming_the_thread_id():
    with pytest.raises(NotFound) as refused:
        thread_uuid("not-a-conversation")
    assert (refused.value.code, refused.value.field) == ("not_found", "thread_id")


def test_a_conversation_id_is_read_as_the_uuid_it_spells():
    known = uuid.uuid4()
    assert thread_uuid(str(known).upper()) == known
