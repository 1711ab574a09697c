"""Giving a log's events to a follower: once each, in order, whichever way they arrive."""

from app.domain.event_delivery import Follower, FollowTable


def _event(seq, kind="agent_thinking"):
    return {"seq": seq, "type": kind}


def _seqs(events):
    return [e["seq"] for e in events]


def test_follower_gives_events_after_its_start_in_order():
    follower = Follower(1, "k", -1, heard_at=0.0)
    assert _seqs(follower.offer(_event(0)) + follower.offer(_event(1))) == [0, 1]


def test_follower_holds_an_event_that_arrives_ahead_of_a_gap_until_the_gap_is_filled():
    follower = Follower(1, "k", 3, heard_at=0.0)
    assert follower.offer(_event(5)) == []
    assert follower.gap == (4, 4)
    assert _seqs(follower.offer(_event(4))) == [4, 5]
    assert follower.gap is None


def test_follower_never_gives_an_event_twice_whichever_way_it_arrives():
    follower = Follower(1, "k", -1, heard_at=0.0)
    given = follower.offer(_event(0)) + follower.offer(_event(0)) + follower.offer(_event(1))
    given += follower.offer(_event(0)) + follower.offer(_event(1))
    assert _seqs(given) == [0, 1]


def test_follower_gives_the_late_event_of_two_that_were_appended_in_swapped_order():
    """The bug this guards: seq 5 heard before seq 4, and 4 then dropped as already seen."""
    follower = Follower(1, "k", 3, heard_at=0.0)
    given = follower.offer(_event(5)) + follower.offer(_event(4)) + follower.offer(_event(6))
    assert _seqs(given) == [4, 5, 6]


def test_follower_finishes_at_the_terminal_event_and_gives_nothing_after():
    follower = Follower(1, "k", -1, heard_at=0.0)
    assert _seqs(follower.offer(_event(0)) + follower.offer(_event(1, "agent_completed"))) == [0, 1]
    assert follower.finished
    assert follower.offer(_event(2)) == []


def test_follower_of_a_feed_does_not_finish_on_event_types_that_end_runs():
    follower = Follower(1, "k", 0, ends=False, heard_at=0.0)
    follower.offer(_event(1, "agent_failed"))
    assert not follower.finished


def test_follower_already_past_the_terminal_event_is_finished_when_it_hears_it():
    follower = Follower(1, "k", 5, heard_at=0.0)
    assert follower.offer(_event(5, "agent_completed")) == []
    assert follower.finished


def test_follower_skips_a_gap_the_log_no_longer_holds():
    follower = Follower(1, "k", 0, ends=False, heard_at=0.0)
    follower.offer(_event(4))
    follower.offer(_event(5))
    assert _seqs(follower.skip_to_pending()) == [4, 5]
    assert follower.delivered == 5


def test_follow_table_lists_followers_by_key_and_forgets_a_key_with_none():
    table = FollowTable()
    mine, other = Follower(1, "mine", -1, heard_at=0.0), Follower(2, "other", -1, heard_at=0.0)
    table.add(mine)
    table.add(other)
    assert [f.id for f in table.of("other")] == [2]
    table.remove(other)
    assert table.keys() == ["mine"] and "other" not in table


def test_follower_without_a_start_keeps_what_arrives_and_gives_what_comes_after_its_start():
    follower = Follower(1, "k", None, ends=False, heard_at=0.0)
    assert follower.offer(_event(3)) == [] and follower.offer(_event(5)) == [] and follower.gap is None
    assert _seqs(follower.start_after(3)) == []
    assert follower.gap == (4, 4)
    assert _seqs(follower.offer(_event(4))) == [4, 5]


def test_a_terminal_event_unblocked_behind_another_finishes_the_follower_at_once():
    follower = Follower(1, "k", -1, heard_at=0.0)
    assert follower.offer(_event(1, "agent_failed")) == []
    assert _seqs(follower.offer(_event(0, "agent_started"))) == [0, 1]
    assert follower.finished and follower.pending == {}


def test_skipping_to_the_one_event_waiting_after_a_gap_gives_it():
    follower = Follower(1, "k", 2, heard_at=0.0)
    follower.offer(_event(5))
    assert _seqs(follower.skip_to_pending()) == [5]
    assert follower.delivered == 5


def test_skipping_with_nothing_waiting_gives_nothing_and_stays_where_it_was():
    follower = Follower(1, "k", 2, heard_at=0.0)
    assert follower.skip_to_pending() == []
    assert follower.delivered == 2
