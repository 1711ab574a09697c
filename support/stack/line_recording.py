"""The platform recording which lines each scenario runs, in the run that makes ``make mutation``'s map
(``support.runners.scenario_coverage``): what a platform process is started as there, and what it is told.
In every other run, the platform itself."""

from __future__ import annotations

import os

FOLDER_VARIABLE = "SCENARIO_COVERAGE_DIR"  # set in the run that makes the map, for the harness and the platform
WHOLE_PROCESS_VARIABLE = "SCENARIO_COVERAGE_WHOLE_PROCESS"  # "1": all the process runs is its scenario's
COVERED_PLATFORM = "support.runners.covered_platform:app"


def hand_started_platform(app: str) -> tuple[str, dict[str, str]]:
    """The app a scenario starts a process of by hand, and the settings to add to the process's own: ``app``
    and none, or, in the run that makes the map, the platform recording everything it runs (its start-up and
    its refusal to start too) under the scenario that started it."""
    folder = os.environ.get(FOLDER_VARIABLE)
    if not folder:
        return app, {}
    return COVERED_PLATFORM, {FOLDER_VARIABLE: folder, WHOLE_PROCESS_VARIABLE: "1"}
