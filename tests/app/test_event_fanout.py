from app.service_layer.event_fanout import END, Follower, FollowTable


def _event(seq, kind="agent_thinking"):
    return {"seq": seq, "type": kind}


def test_each_follower_gets_only_events_after_its_cursor_then_the_end():
    table = FollowTable()
    early, late = Follower(1, "k", -1), Follower(2, "k", 1)
    table.add(early, "0-0")
    table.add(late, "0-0")
    out = table.deliver("k", [("1-0", _event(0)), ("2-0", _event(1)), ("3-0", _event(2, "agent_completed"))])
    assert [(f.id, e if e is END else e["seq"]) for f, e in out] == [
        (1, 0), (1, 1), (1, 2), (1, END), (2, 2), (2, END)]
    assert table.streams() == {}


def test_the_cursor_advances_so_nothing_is_read_twice():
    table = FollowTable()
    table.add(Follower(1, "k", -1), "0-0")
    table.deliver("k", [("5-0", _event(0))])
    assert table.streams() == {"k": "5-0"}


def test_streams_of_other_runs_are_not_delivered_to_a_follower():
    table = FollowTable()
    mine, other = Follower(1, "mine", -1), Follower(2, "other", -1)
    table.add(mine, "0-0")
    table.add(other, "0-0")
    assert [f.id for f, _ in table.deliver("other", [("1-0", _event(0))])] == [2]


def test_a_removed_follower_receives_nothing_more():
    table = FollowTable()
    follower = Follower(1, "k", -1)
    table.add(follower, "0-0")
    table.remove(follower)
    assert table.deliver("k", [("1-0", _event(0))]) == []


def test_an_event_given_during_catch_up_is_not_given_again_by_the_shared_reader():
    follower = Follower(1, "k", -1)
    assert follower.offer(_event(0)) == [_event(0)]
    assert follower.offer(_event(0)) == []
    assert follower.offer(_event(1, "agent_failed")) == [_event(1, "agent_failed"), END]


def test_a_follower_that_already_has_the_terminal_event_is_ended_at_once():
    follower = Follower(1, "k", 5)
    assert follower.offer(_event(3)) == []
    assert follower.offer(_event(5, "agent_completed")) == [END]
