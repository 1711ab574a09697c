"""``@flaky``: a known-flaky scenario gets one retry, and a pass on the retry is reported as flaky.

behave's own auto-retry (``behave.contrib.scenario_autoretry``) reruns the scenario; each attempt
is its own Allure result with the same history id, so the report shows the failed attempt as a
retry. After the run, ``support.report.flaky_results`` marks every scenario that passed only on a
retry as flaky in its Allure result, and the run's summary counts it: never a plain pass.
"""

from __future__ import annotations

from typing import Any

from behave.contrib.scenario_autoretry import patch_scenario_with_autoretry

TAG = "flaky"
ATTEMPTS = 2


def retry_flaky(feature: Any) -> None:
    """Called before a feature runs (after the Allure formatter wrapped its scenarios, so each attempt is reported)."""
    for scenario in feature.walk_scenarios():  # an outline's examples, each on its own
        if TAG in scenario.effective_tags:
            patch_scenario_with_autoretry(scenario, max_attempts=ATTEMPTS)
