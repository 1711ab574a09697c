"""Which scenarios judge a mutant: by the line it changes, from the map of which scenarios run each line."""

from __future__ import annotations

import ast
import subprocess
import textwrap

from support.runners import mutant_check
from support.runners.scenario_coverage import Judges, ScenarioMap, changed_lines, node_id_of, statement_at, version

SOURCE = textwrap.dedent(
    """\
    LIMIT = 3


    @decorated(times=2)
    def bucket(days: int, *, cap: int = 9) -> str:
        if (days
                <= LIMIT):
            return "early"
        try:
            value = compute(
                days,
                cap,
            )
        except ValueError:
            return "odd"
        return value


    class Shape:
        size: int = 4
    """
)
MODULE = "app/domain/shapes.py"
RAN = {
    MODULE: {
        1: ["start-up"],
        4: ["start-up"],
        6: ["features/a.feature:3", "features/b.feature:7"],
        7: ["features/a.feature:3"],
        8: ["features/a.feature:3"],
        10: ["features/b.feature:7"],
        15: ["between"],
    }
}


def _judges(*lines: int) -> Judges:
    diff = "".join(f"@@ -{line} +{line} @@\n-old\n+new\n" for line in lines)
    return ScenarioMap.of(RAN).judges(MODULE, SOURCE, diff)


def test_the_lines_a_diff_changes_are_read_from_its_hunks():
    diff = "diff --git a/x b/x\n@@ -12 +12 @@\n-a\n+b\n@@ -30,2 +30 @@\n-c\n-d\n+e\n@@ -40,0 +41 @@\n+f\n"
    assert changed_lines(diff) == [12, 30, 31, 40]


def test_a_line_is_judged_by_its_statement_whole_or_by_a_compound_statements_header():
    tree = ast.parse(SOURCE)
    condition = statement_at(tree, 7)  # the second line of an if's condition
    assert (condition.first, condition.last, condition.runs_inside_a_function) == (6, 7, True)
    call = statement_at(tree, 12)  # inside a call that spans lines
    assert (call.first, call.last) == (10, 13)
    handler = statement_at(tree, 14)
    assert (handler.first, handler.last) == (14, 14)
    assert not statement_at(tree, 4).runs_inside_a_function  # a decorator runs as the module is imported
    assert not statement_at(tree, 5).runs_inside_a_function  # a default, as the function is defined
    assert not statement_at(tree, 19).runs_inside_a_function  # a class's body


def test_a_mutant_is_judged_by_every_scenario_that_runs_any_line_of_its_statement():
    assert _judges(7) == Judges(scenarios=("features/a.feature:3", "features/b.feature:7"))
    assert _judges(12) == Judges(scenarios=("features/b.feature:7",))
    assert _judges(8, 12).scenarios == ("features/a.feature:3", "features/b.feature:7")


def test_a_mutant_of_what_runs_at_start_up_or_between_scenarios_is_judged_by_the_whole_module():
    assert _judges(4).whole_module
    assert _judges(1).whole_module
    assert _judges(15).whole_module  # run, but by no scenario's own doing


def test_a_mutant_no_scenario_runs_is_judged_by_nobody_and_says_why():
    judges = _judges(16)
    assert (judges.scenarios, judges.whole_module) == ((), False)
    assert "no scenario or test runs line 16" in judges.reason


def test_the_map_keeps_each_context_once_and_reads_back_what_it_was_given(tmp_path):
    path = tmp_path / "map.json"
    ScenarioMap.of(RAN).write(path, "v1")
    assert ScenarioMap.read(path).ran(MODULE) == RAN[MODULE]
    assert path.read_text().count("features/a.feature:3") == 1


CONSTANTS = textwrap.dedent(
    """\
    QUERY = select(users)
    HELD = QUERY.with_for_update(of=users)
    SHARED = 5


    def first(db):
        return db.run(HELD)


    def second(db, limit=SHARED):
        return db.run(QUERY, limit)
    """
)
CONSTANTS_RAN = {
    "app/adapters/people.py": {
        1: ["start-up"],
        2: ["start-up"],
        7: ["features/a.feature:3"],
        11: ["features/b.feature:7"],
    }
}


def _constant_judges(line: int, used_elsewhere=lambda name: False) -> Judges:
    diff = f"@@ -{line} +{line} @@\n-old\n+new\n"
    return ScenarioMap.of(CONSTANTS_RAN).judges("app/adapters/people.py", CONSTANTS, diff, used_elsewhere)


def test_a_constant_of_the_module_is_judged_by_every_scenario_that_reads_it_or_a_constant_made_from_it():
    assert _constant_judges(2).scenarios == ("features/a.feature:3",)
    assert _constant_judges(1).scenarios == ("features/a.feature:3", "features/b.feature:7")


def test_a_constant_read_at_start_up_or_by_another_module_is_judged_by_the_whole_module():
    assert _constant_judges(3).whole_module  # a function's default
    assert _constant_judges(2, used_elsewhere=lambda name: name == "HELD").whole_module
    assert _constant_judges(1, used_elsewhere=lambda name: name == "HELD").whole_module  # through HELD


def test_a_mutant_on_disk_is_judged_by_the_scenarios_of_the_line_git_says_it_changed(tmp_path, monkeypatch):
    """The check reads the mutated line from git (the mutant is written over the committed file) and says
    what judged it, even when no scenario runs the line."""
    module = tmp_path / "app" / "domain" / "shapes.py"
    module.parent.mkdir(parents=True)
    module.write_text(SOURCE)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "committed"], check=True)
    module.write_text(SOURCE.replace("<= LIMIT", "< LIMIT"))
    ScenarioMap.of(RAN).write(tmp_path / "map.json", "v1")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCENARIO_MAP", str(tmp_path / "map.json"))
    assert mutant_check.judged_by(MODULE) == (
        ("features/a.feature:3", "features/b.feature:7"),
        (),
        "judged by the 2 scenarios that run its line",
    )
    module.write_text(SOURCE.replace("return value", "return None"))
    assert mutant_check.judged_by(MODULE) == (
        (),
        (),
        f"judged by no scenario: no scenario or test runs line 16 of {MODULE}",
    )


TESTED = {
    MODULE: {
        **RAN[MODULE],
        10: ["features/b.feature:7", "pytest:tests/app/test_shapes.py::test_compute"],
        16: ["pytest:tests/app/test_shapes.py::test_value", "pytest:tests/app/test_shapes.py::Cases::test_more"],
        15: ["between", "pytest:tests/app/test_shapes.py::test_size"],
    }
}


def _tested(line: int) -> Judges:
    return ScenarioMap.of(TESTED).judges(MODULE, SOURCE, f"@@ -{line} +{line} @@\n-old\n+new\n")


def test_the_platforms_tests_that_run_a_line_judge_its_mutant_first_then_its_scenarios():
    assert _tested(10) == Judges(scenarios=("features/b.feature:7",), tests=("tests/app/test_shapes.py::test_compute",))
    assert _tested(16).tests == (
        "tests/app/test_shapes.py::Cases::test_more",
        "tests/app/test_shapes.py::test_value",
    )
    assert (_tested(16).scenarios, _tested(16).whole_module) == ((), False), "no scenario runs it: the tests alone"
    assert "only tests do" in _tested(16).reason
    assert _tested(15).whole_module and _tested(15).tests == ("tests/app/test_shapes.py::test_size",)


def test_a_test_functions_context_names_its_file_and_function_as_pytest_does(tmp_path):
    (tmp_path / "tests" / "app").mkdir(parents=True)
    (tmp_path / "tests" / "app" / "test_shapes.py").write_text("")
    assert node_id_of("tests.app.test_shapes.test_value", tmp_path) == "pytest:tests/app/test_shapes.py::test_value"
    assert node_id_of("tests.app.test_shapes.Cases.test_more", tmp_path) == (
        "pytest:tests/app/test_shapes.py::Cases::test_more"
    )
    assert node_id_of("", tmp_path) is None, "what ran while the tests were imported"


def test_the_map_is_made_again_when_the_platforms_tests_change_but_not_for_the_harness_own_tests(tmp_path):
    def commit(path: str, content: str) -> str:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(content)
        subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
        subprocess.run(["git", "commit", "-qm", path], cwd=tmp_path, check=True)
        return version(tmp_path)

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "config", "user.email", "t@example.com"], cwd=tmp_path, check=True)
    subprocess.run(["git", "config", "user.name", "t"], cwd=tmp_path, check=True)
    commit("app/a.py", "A = 1\n")
    first = commit("tests/app/test_a.py", "def test_a(): pass\n")
    assert commit("tests/support/test_b.py", "def test_b(): pass\n") == first
    assert commit("tests/app/test_a.py", "def test_renamed(): pass\n") != first


def test_a_line_the_start_up_runs_is_judged_by_the_whole_module_though_a_scenario_runs_it_too():
    ran = {MODULE: {**RAN[MODULE], 10: ["start-up", "features/b.feature:7"]}}
    judges = ScenarioMap.of(ran).judges(MODULE, SOURCE, "@@ -12 +12 @@\n-old\n+new\n")
    assert judges.whole_module, "the shared instances run it as they start: every scenario may show the mutant"
    assert judges.scenarios == ("features/b.feature:7",)


def test_the_whole_module_and_the_scenarios_that_start_an_instance_by_hand_judge_a_start_up_line(monkeypatch):
    judges = Judges(scenarios=("features/operations/start.feature:9", "features/b.feature:3"), whole_module=True)
    monkeypatch.setattr(mutant_check, "_map_judges", lambda module: judges)
    monkeypatch.setitem(mutant_check.FEATURES_FOR, "app/domain/shapes.py", ("features/operations",))
    monkeypatch.setenv(mutant_check.MAP_VARIABLE, "map.json")
    scenarios, _, said = mutant_check.judged_by("app/domain/shapes.py")
    assert scenarios == ("features/operations", "features/b.feature:3")
    assert "every feature of the module and the 2 scenarios" in said
