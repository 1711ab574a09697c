"""A normal run has no planted defect; a planted one is announced, and one that no longer fits refuses to start."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import psutil
import pytest
import requests

from support.defects.catalogue import CATALOGUE
from support.defects.planting import MARKER_HEADER, PlantingError, replace
from support.runners.audit_results import ScenarioOutcome, judge, read_outcomes
from support.stack.http_service import REPO_ROOT
from support.stack.stack import PLATFORM_APP, Stack


def _platform_processes(stack: Stack) -> list[psutil.Process]:
    return [psutil.Process(service.process.pid) for service in (stack.platform, stack.platform_2)]


def test_a_normal_stack_runs_the_platform_without_any_planted_defect(stack):
    for process in _platform_processes(stack):
        assert any(PLATFORM_APP in part for part in process.cmdline()), process.cmdline()
        assert not any("support.defects" in part for part in process.cmdline())
        assert "PLANTED_DEFECT" not in process.environ()
    for url in stack.env["PLATFORM_URLS"].split(","):
        answer = requests.get(url + "/health/live", timeout=5)
        assert answer.status_code == 200
        assert MARKER_HEADER not in answer.headers, f"{url} answers with a planted defect: {answer.headers}"


def test_a_planted_defect_is_named_on_every_answer_of_every_instance():
    with Stack({}, planted_defect="payment-not-audited") as planted:
        for url in planted.env["PLATFORM_URLS"].split(","):
            assert requests.get(url + "/health/live", timeout=5).headers[MARKER_HEADER] == "payment-not-audited"


def test_a_shell_variable_alone_plants_nothing(monkeypatch):
    """Only the stack's own choice plants a defect; one left in the environment is not passed on."""
    monkeypatch.setenv("PLANTED_DEFECT", "payment-not-audited")
    from support.stack.stack import _child_env

    assert "PLANTED_DEFECT" not in _child_env({})


def test_every_catalogued_defect_plants_on_the_current_platform():
    """Each patch finds what it replaces (PlantingError otherwise); planted in a process of its own."""
    plant_all = (
        "from support.defects.catalogue import CATALOGUE\n"
        "for defect in CATALOGUE:\n    defect.plant()\n    print(defect.name)\n"
        "import app.main"
    )
    done = subprocess.run([sys.executable, "-c", plant_all], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [d.name for d in CATALOGUE]


def test_an_unknown_defect_stops_the_platform_naming_the_known_ones():
    done = subprocess.run(
        [sys.executable, "-c", "import support.defects.planted_platform"],
        cwd=REPO_ROOT,
        env={**os.environ, "PLANTED_DEFECT": "no-such-defect"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "no-such-defect" in done.stderr and CATALOGUE[0].name in done.stderr


def test_planting_on_code_that_is_gone_is_refused():
    class Platform:
        pass

    with pytest.raises(PlantingError, match="gone_function"):
        replace(Platform, "gone_function", lambda: None)


def test_a_defect_is_caught_only_by_scenarios_that_pass_without_it():
    outcomes = [
        ScenarioOutcome("a.feature:3", "fails with the defect", "failed"),
        ScenarioOutcome("a.feature:9", "fails anyway", "failed"),
        ScenarioOutcome("b.feature:4", "passes", "passed"),
    ]
    verdict = judge("some-defect", 1.0, outcomes, control_failing={"a.feature:9"})
    assert [o.location for o in verdict.catching] == ["a.feature:3"]
    assert verdict.caught
    assert not judge("some-defect", 1.0, outcomes[1:], control_failing={"a.feature:9"}).caught


def test_a_scenario_that_failed_only_once_does_not_count_as_catching():
    outcomes = [
        ScenarioOutcome("a.feature:3", "fails every time", "failed"),
        ScenarioOutcome("a.feature:9", "failed by chance", "failed"),
    ]
    verdict = judge("some-defect", 1.0, outcomes, control_failing=set()).confirmed_by({"a.feature:3"})
    assert [o.location for o in verdict.catching] == ["a.feature:3"]
    assert [o.location for o in verdict.unconfirmed] == ["a.feature:9"]
    assert not verdict.confirmed_by(set()).caught


def test_behave_report_gives_each_failing_scenario_its_step_and_message(tmp_path):
    report = tmp_path / "behave.json"
    report.write_text(
        json.dumps(
            [
                {
                    "elements": [
                        {
                            "type": "scenario",
                            "name": "Rounding -- @1.2 ",
                            "location": "f.feature:7",
                            "status": "failed",
                            "steps": [
                                {"keyword": "Given", "name": "a", "result": {"status": "passed"}},
                                {
                                    "keyword": "Then",
                                    "name": "the total is 1.01",
                                    "result": {
                                        "status": "failed",
                                        "error_message": ["", "Expected: 1.01", "     but: was 1.00"],
                                    },
                                },
                            ],
                        },
                        {"type": "background", "name": "", "location": "f.feature:2", "steps": []},
                    ]
                }
            ]
        )
    )
    [outcome] = read_outcomes(report)
    assert outcome == ScenarioOutcome(
        "f.feature:7", "Rounding", "failed", "Then the total is 1.01", "Expected: 1.01 / but: was 1.00"
    )


def test_a_run_without_a_report_is_an_error_not_a_pass(tmp_path):
    with pytest.raises(ValueError, match="no readable behave report"):
        read_outcomes(tmp_path / "missing.json")


def test_a_replacement_that_cannot_take_the_platforms_call_is_refused():
    """A defect written for an older signature would crash where it sits (a 500, caught as a crash), and the rule
    it was planted for would never be tried."""

    class Repository:
        def of_user(self, user_id, page):
            return []

    with pytest.raises(PlantingError, match=r"Repository.of_user takes \(self, user_id, page\)"):
        replace(Repository, "of_user", lambda self, user_id: [])
    replace(Repository, "of_user", lambda self, user_id, page: ["planted"])
    assert Repository().of_user("u", None) == ["planted"]


def test_a_replacement_is_held_to_the_platforms_call_not_to_an_earlier_defects():
    """Where several defects are planted in one process (the catalogue's test), each is held to the platform's own
    function, not to what another defect put there."""

    class Service:
        def take(self, invoice, *, keep):
            return "platform"

    replace(Service, "take", lambda self, *args, **kwargs: "first defect")
    with pytest.raises(PlantingError, match="keep"):
        replace(Service, "take", lambda self, invoice: "second defect")


def test_a_replacement_awaited_differently_or_a_value_of_another_type_is_refused():
    """A coroutine replaced by a plain function returns nothing to await (a 500 where it sits); a table of rules
    replaced by a value of another kind is read as it never is."""

    class Runtime:
        RULES = ("a", "b")

        async def cancel(self, principal, run_id):
            return True

    with pytest.raises(PlantingError, match=r"Runtime\.cancel is awaited"):
        replace(Runtime, "cancel", lambda self, principal, run_id: True)
    with pytest.raises(PlantingError, match=r"Runtime\.RULES is a tuple, and its replacement a list"):
        replace(Runtime, "RULES", ["a"])

    async def cancel(self, principal, run_id):
        return False

    replace(Runtime, "cancel", cancel)
    replace(Runtime, "RULES", ("a",))
    assert Runtime.RULES == ("a",)


def test_a_defect_caught_only_as_the_platform_failing_is_told_apart():
    """Its scenarios failed on a 500, not on the rule it was planted for: the defect may no longer fit the code."""
    crashed = ScenarioOutcome(
        "a.feature:3",
        "lists",
        "failed",
        "Then Sam lists",
        "Sam listing /notifications failed: the platform answered 500",
    )
    ruled = ScenarioOutcome("a.feature:9", "reads", "failed", "When Sam reads", "GET /x was read yet changed the y")
    assert judge("d", 1.0, [crashed], control_failing=set()).result == "crash only"
    assert judge("d", 1.0, [crashed, ruled], control_failing=set()).result == "caught"
    assert judge("d", 1.0, [ruled], control_failing=set()).result == "caught"
