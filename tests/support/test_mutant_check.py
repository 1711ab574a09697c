"""One mutant's check runs its judges in order, cheapest first, and calls it a survivor only when all passed:
the tests named for its module, the tests that run its line, its scenarios, then the type checker and every
test of the platform."""

from __future__ import annotations

import subprocess
from types import SimpleNamespace

import pytest

from support.runners import mutant_check


@pytest.fixture
def judged(monkeypatch):
    """Runs ``main`` with every judge replaced by a recorder; ``failing`` names the judges that fail."""
    ran: list[str] = []
    failing: set[str] = set()

    def tests(names: tuple[str, ...], _timeout: float) -> int:
        ran.append("tests " + " ".join(names))
        return 1 if any(n in failing for n in names) else 0

    def behave(command: list[str], **_: object) -> SimpleNamespace:
        ran.append("scenarios " + " ".join(c for c in command if ".feature" in c))
        return SimpleNamespace(returncode=1 if "scenarios" in failing else 0, stdout="", stderr="")

    monkeypatch.setattr(mutant_check, "killed_by_tests", tests)
    monkeypatch.setattr(mutant_check, "restart_platform", lambda url: ran.append("restart") or None)
    monkeypatch.setattr(
        mutant_check, "killed_by_the_type_checker", lambda _timeout: ran.append("mypy") or int("mypy" in failing)
    )
    monkeypatch.setattr(subprocess, "run", behave)
    monkeypatch.setattr(mutant_check, "TESTS_FOR", {"app/x.py": ("tests/app/test_x.py",)})
    monkeypatch.setenv("STACK_CONTROL_URL", "http://control")

    def run(judges: tuple[tuple[str, ...], tuple[str, ...], str], *failing_now: str) -> tuple[int, list[str]]:
        monkeypatch.setattr(mutant_check, "judged_by", lambda module: judges)
        ran.clear()
        failing.clear()
        failing.update(failing_now)
        return mutant_check.main(["app/x.py"]), list(ran)

    return run


LINE = (("features/a.feature:3",), ("tests/app/test_y.py::test_z",), "judged by the 1 scenarios and the 1 tests")


def test_a_mutant_nothing_tells_apart_has_met_every_judge_in_order_before_it_survives(judged):
    assert judged(LINE) == (
        0,
        [
            "tests tests/app/test_x.py",
            "tests tests/app/test_y.py::test_z",
            "restart",
            "scenarios features/a.feature:3",
            "mypy",
            "tests tests/app",
        ],
    )


def test_the_verdict_says_how_long_each_stage_took(judged, capsys):
    judged(LINE)
    took = [line for line in capsys.readouterr().out.splitlines() if line.startswith("took: ")]
    stages = [part.rsplit(" ", 2)[0] for part in took[0].removeprefix("took: ").split(", ")]
    assert stages == [
        "the module's tests",
        "1 mapped tests",
        "restart",
        "1 scenarios or features",
        "mypy",
        "every test of tests/app",
    ]


def test_the_first_judge_that_fails_kills_the_mutant_and_the_rest_are_not_run(judged):
    assert judged(LINE, "tests/app/test_x.py") == (1, ["tests tests/app/test_x.py"])
    assert judged(LINE, "scenarios")[1][-1] == "scenarios features/a.feature:3"
    assert judged(LINE, "tests/app") == (1, judged(LINE)[1])
    assert judged(LINE, "mypy") == (1, judged(LINE)[1][:-1])


def test_a_line_no_scenario_runs_is_still_judged_by_every_test_of_the_platform(judged):
    code, ran = judged(((), (), "judged by no scenario: no scenario or test runs line 4 of app/x.py"), "tests/app")
    assert (code, ran) == (1, ["tests tests/app/test_x.py", "mypy", "tests tests/app"])


def test_the_type_checker_kills_a_mutant_that_breaks_a_signature(tmp_path, monkeypatch):
    """mypy as make lint runs it, from the tree it is given: a call that no longer fits fails it."""
    (tmp_path / "pyproject.toml").write_text('[tool.mypy]\nfiles = ["app"]\n')
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "shapes.py").write_text(
        "def area(side: int) -> int:\n    return side * side\n\n\nAREA = area(3)\n"
    )
    monkeypatch.chdir(tmp_path)
    assert mutant_check.killed_by_the_type_checker(120) == 0
    (tmp_path / "app" / "shapes.py").write_text(
        "def area(side: int) -> int:\n    return side * side\n\n\nAREA = area()\n"
    )
    assert mutant_check.killed_by_the_type_checker(120) != 0
