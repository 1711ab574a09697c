"""The parallel runner keeps every scenario that breaks shared services away from the others."""

from support.runners.parallel import EXCLUSIVE_TAG, selected_scenarios


def test_a_feature_tagged_chaos_has_every_scenario_run_apart():
    scenarios = dict(
        (location, tags) for location, tags in selected_scenarios(["features/operations/start_up.feature"])
    )
    assert scenarios, "the start-up feature lists its scenarios"
    assert all(EXCLUSIVE_TAG in tags for tags in scenarios.values()), scenarios


def test_a_scenario_tagged_chaos_in_an_untagged_feature_is_run_apart_and_its_neighbours_are_not():
    scenarios = selected_scenarios(["features/resilience/database_faults.feature"])
    assert all(EXCLUSIVE_TAG in tags for _, tags in scenarios), scenarios
    shared = selected_scenarios(["features/sales/lead_listing.feature"])
    assert shared and not any(EXCLUSIVE_TAG in tags for _, tags in shared), shared
