"""make mutation's bookkeeping: the score leaves out equivalents and mutants not judged, and every equivalent
recorded still names a real module, operator and reason."""

from __future__ import annotations

import json
import subprocess
import tomllib
from typing import Any

import pytest

from support.report.layout import REPO_ROOT
from support.runners import mutation, mutation_equivalents_judged, mutation_known_equivalents
from support.runners.mutation import summary
from support.runners.mutation_scope import FEATURES_FOR, OPERATORS_KEPT, SCOPE
from support.runners.mutation_sessions import (
    EQUIVALENTS,
    ModuleScore,
    Mutant,
    judge_equivalents,
    read_session,
    source_copy,
)

DIFF = "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-    return a < b\n+    return a <= b\n"


def _mutant(outcome: str, diff: str = DIFF) -> Mutant:
    return Mutant("app/domain/x.py", "ReplaceComparisonOperator_Lt_LtE", 0, 1, outcome, diff=diff)


def test_the_score_counts_killed_against_killed_and_surviving_only():
    score = ModuleScore("app/domain/x.py", [_mutant("killed"), _mutant("killed"), _mutant("killed")])
    score.mutants += [_mutant("survived"), _mutant("incompetent"), _mutant("pending"), _mutant("skipped")]
    assert score.score == 75.0
    assert "| `app/domain/x.py` | 6 | 3 | 1 | 0 | 2 | 75.0 % |" in summary([score])


def test_a_survivor_recorded_as_equivalent_leaves_the_score_and_the_survivors():
    score = ModuleScore("app/domain/x.py", [_mutant("killed"), _mutant("survived")])
    known = {"module": "app/domain/x.py", "operator": "ReplaceComparisonOperator_Lt_LtE", "reason": "r"}
    judge_equivalents(score, [{**known, "mutated": "return a <= b"}])
    assert score.score == 100.0 and score.equivalent == 1
    assert "Survivors (0)" in summary([score])
    other = ModuleScore("app/domain/x.py", [_mutant("survived")])
    judge_equivalents(other, [{**known, "mutated": "return a > b"}])  # another line: still a survivor
    assert other.score == 0.0


def test_every_recorded_equivalent_names_a_module_in_scope_an_operator_used_and_a_reason():
    for known in tomllib.loads(EQUIVALENTS.read_text())["equivalent"]:
        assert known["module"] == "*" or (known["module"] in SCOPE and (REPO_ROOT / known["module"]).is_file())
        operator = known["operator"] if "/" in known["operator"] else f"core/{known['operator']}"
        assert operator in OPERATORS_KEPT
        assert (known.get("mutated") or known["mutated_pattern"]).strip() and len(known["reason"]) > 20


def test_every_module_in_scope_exists_and_its_features_too():
    for module, features in FEATURES_FOR.items():
        assert (REPO_ROOT / module).is_file(), module
        assert all((REPO_ROOT / feature).exists() for feature in features), (module, features)


def test_a_rule_in_the_equivalents_file_covers_every_module():
    marker = "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-    *,\n+    /,\n"
    score = ModuleScore(
        "app/domain/x.py", [Mutant("app/domain/x.py", "ReplaceBinaryOperator_Mul_Div", 0, 1, "survived", marker)]
    )
    judge_equivalents(score, tomllib.loads(EQUIVALENTS.read_text())["equivalent"])
    assert score.equivalent == 1 and score.score is None


def test_every_dataclass_of_the_platform_given_keywords_is_frozen_with_slots_as_the_rule_on_slots_says():
    """The equivalent rule for ``@dataclass(frozen=True)`` (slots left out) holds only while every dataclass of
    app/ declared with keywords is declared so (a plain ``@dataclass`` has none to leave out): another
    declaration would make that line mean another mutant."""
    declared = {
        line.strip()
        for path in (REPO_ROOT / "app").rglob("*.py")
        for line in path.read_text().splitlines()
        if line.strip().startswith("@dataclass(")
    }
    assert declared == {"@dataclass(frozen=True, slots=True)"}


def test_every_column_comparison_on_a_line_of_its_own_is_a_condition_of_a_where_as_the_rule_on_swaps_says():
    """The equivalent rule for a column's comparison swapped on a line of its own holds only while every such
    line of app/ is an argument of a ``.where(...)`` (whose conditions AND joins): in any other call, the swap
    would be another mutant."""
    import ast
    import re

    rule = next(
        e for e in tomllib.loads(EQUIVALENTS.read_text())["equivalent"] if "a column's comparison" in e["reason"]
    )
    outside = []
    for path in (REPO_ROOT / "app").rglob("*.py"):
        text = path.read_text()
        lines = text.splitlines()
        in_a_where = {
            argument.lineno
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "where"
            for argument in node.args
        }
        outside += [
            f"{path.relative_to(REPO_ROOT)}:{number}"
            for number, line in enumerate(lines, 1)
            if re.search(rule["mutated_pattern"], line.strip()) and number not in in_a_where
        ]
    assert outside == []


MODULE = "app/domain/x.py"


def _module_and_sessions(tmp_path, monkeypatch, text: str) -> tuple[str, Any]:
    """A module of that text in a tree of its own, and an empty folder for its sessions."""
    (tmp_path / "app" / "domain").mkdir(parents=True)
    (tmp_path / MODULE).write_text(text)
    monkeypatch.setattr(mutation, "REPO_ROOT", tmp_path)
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    return MODULE, sessions


def test_a_session_made_from_an_older_text_of_its_module_is_not_reused(tmp_path, monkeypatch):
    module, sessions = _module_and_sessions(tmp_path, monkeypatch, "LIMIT = 1\n")
    assert not mutation.session_made_from_this_text(module, sessions)  # none recorded: never trusted
    mutation._fingerprint(module, sessions).write_text(mutation._source_digest(module))
    assert mutation.session_made_from_this_text(module, sessions)
    (tmp_path / module).write_text("LIMIT = 2\n")
    assert not mutation.session_made_from_this_text(module, sessions)


def test_a_session_outlives_a_rename_but_not_a_change_of_what_the_code_does(tmp_path, monkeypatch):
    text = 'def pay(tenant):\n    """For a tenant."""\n    return tenant.limit > 1\n'
    module, sessions = _module_and_sessions(tmp_path, monkeypatch, text)
    mutation._record_source(module, sessions)
    (tmp_path / module).write_text('def pay(company):\n    """For a company."""\n\n    return company.limit > 1\n')
    assert mutation.session_made_from_this_text(module, sessions), "a rename makes the same mutants"
    assert source_copy(module, sessions).read_text().startswith("def pay(company)"), "the new text kept"
    for changed in ("return company.limit >= 1", "return company.limit > 2", "return not company.limit > 1"):
        (tmp_path / module).write_text(f'def pay(company):\n    """For a company."""\n    {changed}\n')
        assert not mutation.session_made_from_this_text(module, sessions), changed


def test_a_type_annotation_changed_keeps_the_mutants_unless_an_operator_could_change_it():
    same = mutation.same_mutants
    assert same(
        "def f(x: dict[str, int]) -> dict:\n    return x\n", "def f(x: Record) -> Record | None:\n    return x\n"
    )
    assert same("y: list[dict[str, Any]] = []\n", "from x import Row\n\ny: list[Row] = []\n")
    assert not same("def f(x: Literal[5]) -> None:\n    pass\n", "def f(x: Literal[6]) -> None:\n    pass\n")
    assert not same("def f(x: int) -> None:\n    pass\n", "def f(x: Literal[True]) -> None:\n    pass\n")
    assert not same("def f(x: int = 1) -> None:\n    pass\n", "def f(x: int = 2) -> None:\n    pass\n")


def test_judging_survivors_again_forgets_only_those_not_recorded_as_equivalent(tmp_path, monkeypatch):
    import sqlite3

    session = tmp_path / "s.sqlite"
    with sqlite3.connect(session) as db:
        db.execute("CREATE TABLE work_results (job_id TEXT, test_outcome TEXT)")
        db.executemany(
            "INSERT INTO work_results VALUES (?, ?)", [("a", "SURVIVED"), ("b", "SURVIVED"), ("c", "KILLED")]
        )
    plain = "--- a\n+++ b\n@@ -1 +1 @@\n-x = 1\n+x = 2\n"
    known = "--- a\n+++ b\n@@ -1 +1 @@\n-y = 1\n+y = 2\n"
    score = ModuleScore(
        "app/domain/x.py",
        [
            Mutant("app/domain/x.py", "NumberReplacer", 0, 1, "survived", diff=plain, job_id="a"),
            Mutant("app/domain/x.py", "NumberReplacer", 1, 2, "survived", diff=known, job_id="b"),
            Mutant("app/domain/x.py", "NumberReplacer", 2, 3, "killed", diff=plain, job_id="c"),
        ],
    )
    monkeypatch.setattr(mutation, "read_session", lambda module, path: score)
    recorded = [{"module": "app/domain/x.py", "operator": "NumberReplacer", "mutated": "y = 2", "reason": "r"}]
    mutation._judge_survivors_again("app/domain/x.py", session, recorded)
    with sqlite3.connect(session) as db:
        assert sorted(db.execute("SELECT job_id, test_outcome FROM work_results")) == [
            ("b", "SURVIVED"),
            ("c", "KILLED"),
        ]


def test_a_mutant_a_recorded_equivalent_names_is_settled_unjudged_and_the_others_are_left(tmp_path, monkeypatch):
    pytest.importorskip("cosmic_ray", reason="cosmic-ray is installed with the bench's packages (make mutation)")
    text = "def pay(amount, *, currency):\n    return amount > 100\n"
    module, sessions = _module_and_sessions(tmp_path, monkeypatch, text)
    monkeypatch.setattr(mutation_known_equivalents, "REPO_ROOT", tmp_path)
    session, config = sessions / "x.sqlite", sessions / "x.toml"
    config.write_text(
        f"[cosmic-ray]\nmodule-path = {json.dumps(str(tmp_path / module))}\ntimeout = 10\nexcluded-modules = []\n"
        'test-command = "true"\n[cosmic-ray.distributor]\nname = "local"\n'
    )
    subprocess.run([*mutation.COSMIC_RAY, "init", config, session], check=True, cwd=REPO_ROOT, capture_output=True)
    rule = {
        "module": "*",
        "operator": "ReplaceBinaryOperator_Mul_Div",
        "mutated_pattern": r"(^|\(|, )/,",
        "reason": "a keyword-only marker made positional-only",
    }
    assert mutation_known_equivalents.settle_known_equivalents(module, session, [rule]) == 1
    score = read_session(module, session)
    judge_equivalents(score, [rule])
    settled = [m for m in score.mutants if m.outcome != "pending"]
    assert [(m.mutated_line, m.equivalent) for m in settled] == [
        ("def pay(amount, /, currency):", "a keyword-only marker made positional-only")
    ]
    assert settled[0].output.startswith("not run: a recorded equivalent names this mutant")
    assert any(m.outcome == "pending" for m in score.mutants), "the comparison's mutants are left to judge"
    assert mutation_equivalents_judged.forget_settled(session) == 1, "checking the equivalents judges the settled one"
    assert all(m.outcome == "pending" for m in read_session(module, session).mutants)
    named = mutation_known_equivalents.named_unjudged(module, session, [rule])
    assert [job_id for job_id, _ in named] == [settled[0].job_id], "judging the equivalents alone judges that one only"


def test_the_equivalents_report_names_each_wrong_entry_with_what_killed_its_mutant_and_counts_the_rest():
    wrong, held, waiting = _mutant("killed"), _mutant("survived"), _mutant("survived")
    wrong.output = "killed by pytest:\nF\njudged by the 2 scenarios that run its line"
    waiting.output = f"{mutation_known_equivalents.NOT_RUN}: r"
    text, count = mutation_equivalents_judged.report([(wrong, "r1"), (held, "r2"), (waiting, "r3")])
    assert count == 1
    assert "| 3 | 1 | 1 | 1 |" in text, text
    assert "the entry said: r1" in text and "killed by pytest:; judged by the 2 scenarios that run its line" in text
    assert "r2" not in text and "r3" not in text, "only the wrong entries are named"


def test_judging_the_equivalents_alone_defaults_to_the_modules_an_entry_names_in_scope_order():
    entries = [{"module": "app/b.py"}, {"module": "*"}, {"module": "app/a.py"}, {"module": "app/gone.py"}]
    assert mutation_equivalents_judged.modules_named(entries, ["app/a.py", "app/b.py", "app/c.py"]) == [
        "app/a.py",
        "app/b.py",
    ]


def test_a_killed_mutant_a_recorded_equivalent_names_shows_its_entry_wrong():
    known = {"module": "app/domain/x.py", "operator": "ReplaceComparisonOperator_Lt_LtE", "reason": "r"}
    entry, elsewhere = {**known, "mutated": "return a <= b"}, {**known, "mutated": "return a > b"}
    killed, survived = _mutant("killed"), _mutant("survived")
    score = ModuleScore("app/domain/x.py", [killed, survived])
    assert mutation.wrong_equivalents(score, [entry]) == [killed]
    assert mutation.wrong_equivalents(score, [elsewhere]) == []
    judge_equivalents(score, [entry])
    assert (killed.equivalent, survived.equivalent) == ("", "r"), "a killed mutant is never counted equivalent"


def test_the_summary_says_how_many_equivalents_were_settled_without_being_judged():
    settled = _mutant("survived")
    settled.output = f"{mutation_known_equivalents.NOT_RUN}: r"
    score = ModuleScore("app/domain/x.py", [settled, _mutant("survived")])
    judge_equivalents(score, [{"module": "*", "operator": settled.operator, "mutated": "return a <= b", "reason": "r"}])
    assert "Of the equivalents, 1 were settled by a recorded entry without being judged" in summary([score])


def test_a_second_run_while_one_holds_the_checkout_stops_at_once_and_leaves_it_alone(tmp_path, monkeypatch):
    import fcntl

    monkeypatch.setattr(mutation, "REPO_ROOT", tmp_path)
    tree = tmp_path / "reports" / "mutation" / "tree"
    tree.mkdir(parents=True)
    (tree / "in-use").write_text("a mutant being judged")
    with (tree.parent / "running.lock").open("a+") as first:
        fcntl.flock(first, fcntl.LOCK_EX | fcntl.LOCK_NB)
        first.write("process 1, started 2026-12-05 06:00:00\n")
        first.flush()
        assert mutation.in_a_checkout_of_its_own([], tmp_path / "out") == 2
    assert (tree / "in-use").exists(), "the first run's checkout is still there"


def test_files_a_stopped_run_left_in_the_checkouts_place_do_not_stop_the_next_run(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    for command in (
        ["init", "-q"],
        ["-c", "user.email=a@b", "-c", "user.name=a", "commit", "-q", "--allow-empty", "-m", "x"],
    ):
        subprocess.run(["git", *command], cwd=repo, check=True)
    (repo / ".venv").mkdir()
    stray = repo / "reports" / "mutation" / "tree" / ".hypothesis"
    stray.mkdir(parents=True)  # written by a test of a run stopped after its checkout was taken away
    monkeypatch.setattr(mutation, "REPO_ROOT", repo)
    code = mutation.in_a_checkout_of_its_own(["--standing"], tmp_path / "out")  # no runner in that checkout
    assert code != 0 and not stray.exists(), "the checkout was made afresh, and taken away again after"


def test_the_standing_names_a_module_changed_since_its_session_apart_and_counts_none_of_its_verdicts(
    tmp_path, monkeypatch
):
    module, sessions = _module_and_sessions(tmp_path, monkeypatch, "LIMIT = 1\n")
    (sessions / "domain.x.sqlite").write_bytes(b"")  # a session, never read: its verdicts are of another text
    (sessions / "domain.x.source.py").write_text("LIMIT = 2\n")
    monkeypatch.setattr(mutation, "SCOPE", [module])
    shown = mutation.standing(sessions, [])
    assert f"changed since their session was made (1): `{module}`" in shown
    assert "with verdicts kept: 0" in shown
