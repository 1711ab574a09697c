"""The feature files read as the business writes: a narrative, unique titles, no transport talk, tidy tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from behave.parser import parse_file

from support.report.allure_formatter import top_level_scenarios
from support.report.layout import REPO_ROOT

FEATURES = sorted((REPO_ROOT / "features").rglob("*.feature"))
TRANSPORT_TALK = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE|HTTP|JSON|SQL|api/v1|status code|endpoint)\b")
ALLOWED_TALK = {  # features whose rule is about the format itself (mistaken input, damaged data, a model's mistakes)
    "socket_messages.feature": {"JSON"},
    "lead_input.feature": {"JSON"},
    "payment_input.feature": {"JSON"},
    "reports.feature": {"JSON"},
    "rights.feature": {"JSON"},
}


def _id(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))


@pytest.mark.parametrize("path", FEATURES, ids=_id)
def test_a_feature_says_why_and_titles_each_scenario_once(path):
    feature = parse_file(str(path))
    assert len(" ".join(feature.description).split()) >= 12, "a feature opens with a few lines on why it matters"
    titles = [scenario.name for scenario in top_level_scenarios(feature)]
    assert len(titles) == len(set(titles)), (
        f"scenario titles repeated: {sorted(t for t in titles if titles.count(t) > 1)}"
    )
    assert all(title.strip() for title in titles), "every scenario has a title"


@pytest.mark.parametrize("path", FEATURES, ids=_id)
def test_a_feature_speaks_business_not_transport(path):
    allowed = ALLOWED_TALK.get(path.name, set())
    said = [
        (number, word)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if not line.strip().startswith(("#", "@"))
        for word in TRANSPORT_TALK.findall(line)
        if word not in allowed
    ]
    assert said == [], f"transport words in a feature (line, word): {said}"


@pytest.mark.parametrize("path", FEATURES, ids=_id)
def test_tables_are_aligned_and_indented_by_two(path):
    lines = path.read_text().splitlines()
    for number, line in enumerate(lines, start=1):
        assert "\t" not in line, f"line {number}: a tab"
        assert line == line.rstrip(), f"line {number}: trailing spaces"
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0, f"line {number}: indented by {indent}"
    table: list[tuple[int, str]] = []
    for number, line in [*enumerate(lines, start=1), (len(lines) + 1, "")]:
        if line.strip().startswith("|"):
            table.append((number, line))
            continue
        if table:
            pipes = {tuple(i for i, c in enumerate(row) if c == "|") for _, row in table}
            assert len(pipes) == 1, f"the table at line {table[0][0]} is not aligned"
            table = []


# What a product owner's text never holds: a protocol's numbers and a program's names. Those live in the
# steps' implementation and in the glossary of the living documentation.
STATUS_CODE = re.compile(r"\b(?:answered|answers|status|returns?|code)\s+[1-5]\d\d\b")
CLOSE_CODE = re.compile(r"\b(?:close code|code)\s+1\d{3}\b")
FIELD_PATH = re.compile(r"(?<![@\w.-])[a-z]+(?:\.(?:\d+|[a-z_]+))*\.(?:\d+|[a-z]+_[a-z_]+)\b|\b[a-z]+\.\d+\.[a-z_]+\b")
SNAKE_CASE = re.compile(r"(?<![\w@.-])[a-z]+_[a-z0-9_]+\b")
PROTOCOL_COLUMNS = {"status", "code", "close code", "field path"}


def _program_talk(path: Path) -> list[tuple[int, str]]:
    said = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if line.strip().startswith(("#", "@")):
            continue
        for rule in (STATUS_CODE, CLOSE_CODE, FIELD_PATH, SNAKE_CASE):
            said += [(number, found.group()) for found in rule.finditer(line)]
    feature = parse_file(str(path))
    for outline in feature.walk_scenarios(with_outlines=True):
        for examples in getattr(outline, "examples", []):
            said += [(examples.line, f"a column named {h!r}") for h in examples.table.headings if h in PROTOCOL_COLUMNS]
    return said


@pytest.mark.parametrize("path", FEATURES, ids=_id)
def test_a_feature_holds_no_status_code_close_code_field_path_or_program_name(path):
    assert _program_talk(path) == [], "protocol numbers or program names in a feature (line, what)"


def test_the_lint_catches_what_it_is_written_against(tmp_path):
    planted = tmp_path / "planted.feature"
    planted.write_text(
        "Feature: planted\n  Scenario: planted\n    Then it is answered 431\n"
        "    And the socket closes with code 1009\n    And the error names lines.0.unit_price\n"
        "    And the error names run_id\n"
    )
    found = {what for _, what in _program_talk(planted)}
    assert {"answered 431", "code 1009", "lines.0.unit_price", "run_id"} <= found


def test_each_outline_row_has_a_title_of_its_own():
    """Outline rows are named by their title with the row's values in it (no "-- @1.2"): each title must
    name at least one column that tells its rows apart."""
    from behave.model import ScenarioOutline

    repeated = []
    ScenarioOutline.annotation_schema = "{name}"  # as behave.ini names them
    for path in FEATURES:
        for outline in parse_file(str(path)).walk_scenarios(with_outlines=True):
            if not hasattr(outline, "examples"):
                continue
            titles = [s.name for s in outline.scenarios]
            if len(set(titles)) != len(titles):
                repeated.append(f"{_id(path)}:{outline.line} {outline.name}")
    assert repeated == []


def test_a_scenario_with_more_than_one_when_is_a_journey_and_says_so():
    """One behaviour per scenario; a journey (a fault and its recovery, a series of attempts, a whole life
    cycle) tells its steps in order and is tagged @journey, as docs/writing-scenarios.md explains."""
    wrong = []
    for path in FEATURES:
        for scenario in parse_file(str(path)).walk_scenarios(with_outlines=True):
            if not hasattr(scenario, "steps") or getattr(scenario, "_row", None) is not None:
                continue
            whens = sum(step.keyword.strip() == "When" for step in scenario.steps)
            tagged = "journey" in scenario.tags
            if (whens > 1) != tagged:
                wrong.append(f"{_id(path)}:{scenario.line} ({whens} When, {'tagged' if tagged else 'untagged'})")
    assert wrong == []
