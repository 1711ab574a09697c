"""The verdicts of make mutation kept in the repository: written from a session, given to a session made
afresh from a text of the same shape, never to one whose code changed."""

from __future__ import annotations

import json
import subprocess

import pytest

from support.report.layout import REPO_ROOT
from support.runners import mutation
from support.runners.mutation_ledger import keep, read_ledger, restore, score_kept
from support.runners.mutation_sessions import read_session

MODULE = "app/domain/x.py"
TEXT = "def pay(amount):\n    return amount > 100\n"


@pytest.fixture
def tree(tmp_path):
    pytest.importorskip("cosmic_ray", reason="cosmic-ray is installed with the bench's packages (make mutation)")
    (tmp_path / "app" / "domain").mkdir(parents=True)
    (tmp_path / MODULE).write_text(TEXT)
    (tmp_path / "sessions").mkdir()
    return tmp_path


def _session(tree, name: str):
    """A session of every mutant cosmic-ray makes of the module's text now."""
    session, config = tree / "sessions" / f"{name}.sqlite", tree / "sessions" / f"{name}.toml"
    config.write_text(
        f"[cosmic-ray]\nmodule-path = {json.dumps(str(tree / MODULE))}\ntimeout = 10\nexcluded-modules = []\n"
        'test-command = "true"\n[cosmic-ray.distributor]\nname = "local"\n'
    )
    subprocess.run([*mutation.COSMIC_RAY, "init", config, session], check=True, cwd=REPO_ROOT, capture_output=True)
    return session


def _judge(session, outcomes: list[str]) -> None:
    """The session's first mutants given these outcomes, in order; the rest left unjudged."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

    with use_db(str(session), WorkDB.Mode.open) as db:
        for item, outcome in zip(db.work_items, outcomes, strict=False):
            diff = f"--- a\n+++ b\n@@ -2 +2 @@\n-    return amount > 100\n+    return {item.job_id}\n"
            db.set_result(
                item.job_id,
                WorkResult(
                    worker_outcome=WorkerOutcome.NORMAL,
                    test_outcome=TestOutcome(outcome),
                    output="judged by the 3 scenarios that run its line",
                    diff=diff,
                ),
            )


def _kept_session(tree):
    """A session of the module with two mutants killed and one survived, its verdicts kept in the ledger."""
    session = _session(tree, "domain.x")
    (tree / "sessions" / "domain.x.source.py").write_text(TEXT)
    _judge(session, ["killed", "survived", "killed"])
    ledger = tree / "docs" / "mutation" / "verdicts.jsonl"
    assert keep(tree / "sessions", [MODULE], root=tree, path=ledger) == [MODULE]
    return session, ledger


def _outcomes(module: str, session) -> list[str]:
    return [m.outcome for m in read_session(module, session).mutants]


def test_a_session_made_afresh_from_a_text_of_the_same_shape_takes_the_verdicts_kept(tree):
    session, ledger = _kept_session(tree)
    line = read_ledger(ledger)[MODULE]
    assert line.mutants == len(_outcomes(MODULE, session)) and len(line.verdicts) == 3
    survivor = [v for v in line.verdicts.values() if v["outcome"] == "survived"]
    assert survivor[0]["output"] == "judged by the 3 scenarios that run its line", "a survivor says what judged it"

    (tree / MODULE).write_text("def pay(total):\n\n    return total > 100  # renamed\n")
    again = _session(tree, "again")
    assert restore(MODULE, again, root=tree, path=ledger) == 3
    assert _outcomes(MODULE, again) == _outcomes(MODULE, session), "each verdict on the same mutant"
    assert restore(MODULE, again, root=tree, path=ledger) == 0, "a mutant judged already is left as it is"


def test_survivors_to_judge_again_are_not_taken_from_the_ledger(tree):
    _, ledger = _kept_session(tree)
    again = _session(tree, "again")
    assert restore(MODULE, again, survivors=False, root=tree, path=ledger) == 2
    assert sorted(set(_outcomes(MODULE, again))) == ["killed", "pending"]


def test_verdicts_reached_on_another_code_are_neither_taken_nor_counted(tree):
    _, ledger = _kept_session(tree)
    (tree / MODULE).write_text("def pay(amount):\n    return amount >= 100\n")
    assert restore(MODULE, _session(tree, "changed"), root=tree, path=ledger) == 0
    assert score_kept(MODULE, root=tree, path=ledger) is None


def test_the_standing_of_a_module_with_no_session_comes_from_its_line(tree):
    session, ledger = _kept_session(tree)
    score = score_kept(MODULE, root=tree, path=ledger)
    assert score is not None
    assert (score.count("killed"), score.count("survived"), score.count("pending")) == (
        2,
        1,
        len(_outcomes(MODULE, session)) - 3,
    )
    assert next(m.mutated_line for m in score.mutants if m.outcome == "survived").startswith("return ")


def test_mutants_of_operators_not_kept_are_not_counted_among_those_to_judge(tree):
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    session, ledger = _kept_session(tree)
    with use_db(str(session), WorkDB.Mode.open) as db:
        last = list(db.work_items)[-1]
        db.set_result(last.job_id, WorkResult(worker_outcome=WorkerOutcome.SKIPPED))
    keep(tree / "sessions", [MODULE], root=tree, path=ledger)
    assert read_ledger(ledger)[MODULE].mutants == len(_outcomes(MODULE, session)) - 1


def test_a_session_made_from_another_text_is_not_kept(tree):
    session = _session(tree, "domain.x")
    (tree / "sessions" / "domain.x.source.py").write_text("def pay(amount):\n    return amount < 100\n")
    _judge(session, ["killed"])
    ledger = tree / "ledger.jsonl"
    assert keep(tree / "sessions", [MODULE], root=tree, path=ledger) == []
    assert not ledger.exists()


def test_a_ledger_line_that_is_not_a_modules_verdicts_is_named(tmp_path):
    ledger = tmp_path / "verdicts.jsonl"
    ledger.write_text('{"module": "app/x.py", "shape": "s", "mutants": 1, "verdicts": {}}\n{"module": "app/y.py"}\n')
    with pytest.raises(ValueError, match=r"verdicts.jsonl:2: not a module's verdicts"):
        read_ledger(ledger)


def test_a_verdict_settled_by_an_entry_keeps_the_start_of_what_it_says():
    """What judged a survivor is at its output's end; an entry's settling is said at its start, and a check of
    the equivalents finds it there (``NOT_RUN``), however long the entry's reason."""
    from support.runners.mutation_known_equivalents import NOT_RUN
    from support.runners.mutation_ledger import OUTPUT_KEPT, verdicts_of
    from support.runners.mutation_sessions import ModuleScore, Mutant

    settled = Mutant(MODULE, "NumberReplacer", 0, 2, "survived", output=f"{NOT_RUN}: {'why ' * OUTPUT_KEPT}")
    judged = Mutant(MODULE, "NumberReplacer", 1, 2, "survived", output=f"{'.' * OUTPUT_KEPT}judged by mypy")
    line = verdicts_of(ModuleScore(MODULE, [settled, judged]), TEXT)
    assert str(line.verdicts["NumberReplacer#0"]["output"]).startswith(NOT_RUN)
    assert str(line.verdicts["NumberReplacer#1"]["output"]).endswith("judged by mypy")


def test_the_modules_whose_kept_verdicts_hold_a_survivor_are_found_and_an_equivalent_survivor_is_not_one(tree):
    _, ledger = _kept_session(tree)
    nowhere = tree / "no-sessions"
    assert mutation.modules_with_survivors([MODULE], nowhere, [], root=tree, ledger=ledger) == [MODULE]
    survivor = next(m for m in score_kept(MODULE, root=tree, path=ledger).mutants if m.outcome == "survived")
    equivalent = {"module": MODULE, "operator": survivor.operator, "mutated": survivor.mutated_line, "reason": "x"}
    assert mutation.modules_with_survivors([MODULE], nowhere, [equivalent], root=tree, ledger=ledger) == []
    assert mutation.modules_with_survivors(["app/domain/never_run.py"], nowhere, [], root=tree, ledger=ledger) == []
