"""The parallel runner keeps every scenario that breaks shared services away from the others."""

import pytest

from support.runners.parallel import (
    EXCLUSIVE_TAG,
    Listed,
    SelectionRefused,
    deal,
    last_seconds,
    selected_scenarios,
    turned,
)


def test_a_feature_tagged_chaos_has_every_scenario_run_apart():
    scenarios = {s.location: s.tags for s in selected_scenarios(["features/operations/start_up.feature"])}
    assert scenarios, "the start-up feature lists its scenarios"
    assert all(EXCLUSIVE_TAG in tags for tags in scenarios.values()), scenarios


def test_a_scenario_tagged_chaos_in_an_untagged_feature_is_run_apart_and_its_neighbours_are_not():
    scenarios = selected_scenarios(["features/resilience/database_faults.feature"])
    assert all(EXCLUSIVE_TAG in s.tags for s in scenarios), scenarios
    shared = selected_scenarios(["features/sales/lead_listing.feature"])
    assert shared and not any(EXCLUSIVE_TAG in s.tags for s in shared), shared


def listed(name: str, line: int) -> Listed:
    return Listed(f"features/a.feature:{line}", [], name)


def test_the_work_is_dealt_by_last_times_longest_first_and_each_worker_keeps_the_order():
    scenarios = [listed("short 1", 1), listed("long", 2), listed("short 2", 3), listed("short 3", 4)]
    shards = deal(scenarios, 2, {"long": 9.0, "short 1": 1.0, "short 2": 1.0, "short 3": 1.0})
    assert shards == [
        ["features/a.feature:2"],
        ["features/a.feature:1", "features/a.feature:3", "features/a.feature:4"],
    ]


def test_a_scenario_without_a_last_time_counts_the_median_and_no_worker_is_left_empty():
    scenarios = [listed("new", 1), listed("a", 2), listed("b", 3)]
    shards = deal(scenarios, 2, {"a": 1.0, "b": 3.0})
    assert sorted(map(len, shards)) == [1, 2]
    assert deal(scenarios[:1], 3, {}) == [["features/a.feature:1"]]


def test_the_last_times_are_read_by_name_with_spacing_ignored(tmp_path):
    timings = tmp_path / "timings.txt"
    timings.write_text(
        "42.791\tpassed\tfeatures/resilience\tAfter 300 journeys\n1.5\tpassed\tf\tRow -- @1.2 \nbroken\n"
    )
    assert last_seconds(timings) == {"After 300 journeys": 42.791, "Row -- @1.2": 1.5}
    assert last_seconds(tmp_path / "none.txt") == {}


def test_each_worker_goes_to_its_own_instance_first_with_the_logs_turned_alike():
    env = {"PLATFORM_URL": "http://a", "PLATFORM_URLS": "http://a,http://b", "PLATFORM_LOGS": "a.log,b.log"}
    assert turned(env, 0) == env
    assert turned(env, 1) == {
        "PLATFORM_URL": "http://b",
        "PLATFORM_URLS": "http://b,http://a",
        "PLATFORM_LOGS": "b.log,a.log",
    }
    assert turned(env, 2) == env
    one = {"PLATFORM_URL": "http://a", "PLATFORM_URLS": "http://a"}
    assert turned(one, 1) == one


def test_a_scenario_before_a_rule_keeps_its_status_in_the_listing():
    """behave's JSON listing puts that status on the rule's background; the runner gives it back."""
    from support.report.behave_json import scenarios_with_their_status

    listed = scenarios_with_their_status(
        [
            {"type": "background", "status": None},
            {"type": "scenario", "name": "first", "status": "untested"},
            {"type": "scenario", "name": "last before the rule", "status": None},
            {"type": "background", "status": "untested"},
            {"type": "scenario", "name": "in the rule", "status": "skipped"},
        ]
    )
    assert [(s["name"], s["status"]) for s in listed] == [
        ("first", "untested"),
        ("last before the rule", "untested"),
        ("in the rule", "skipped"),
    ]


def test_a_run_of_a_few_scenarios_keeps_what_was_known_of_the_others(tmp_path):
    from support.report.timings import Timed, remember_seconds

    known = tmp_path / "scenario-seconds.txt"
    remember_seconds(
        known, [Timed(0.4, "features/billing", "A", "passed"), Timed(2.0, "features/sales", "B", "passed")]
    )
    remember_seconds(
        known, [Timed(46.0, "features/performance", "C", "failed"), Timed(0.5, "features/billing", "A", "passed")]
    )
    assert last_seconds(known) == {"A": 0.5, "B": 2.0, "C": 46.0}


def test_a_selection_behave_cannot_run_is_refused_with_behaves_reason():
    with pytest.raises(SelectionRefused, match=r"features/no-such\.feature"):
        selected_scenarios(["features/no-such.feature"])
