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
