"""A sample of the mutants of all of app/: drawn the same way by the same seed, each judged once, the score
estimated with an interval that says how far it can be trusted."""

from __future__ import annotations

import pytest

from support.runners.mutation_sample import Drawn, draw, judge_sample, report, wilson
from support.runners.mutation_sessions import ModuleScore, Mutant

EVERYONE = [Drawn(f"app/m{m}.py", f"job-{j}") for m in range(5) for j in range(40)]


def _kinds(module: str, count: int, session: str) -> list[Drawn]:
    """``count`` mutants of ``module`` as a session made ``session`` names them (its own job ids)."""
    return [Drawn(module, f"{session}-{module}-{n}", kind=f"AddNot#{n}") for n in range(count)]


def test_the_same_seed_draws_the_same_mutants_and_another_seed_others():
    assert draw(EVERYONE, 30, seed=7) == draw(EVERYONE, 30, seed=7)
    assert draw(EVERYONE, 30, seed=7) != draw(EVERYONE, 30, seed=8)
    assert len(set(draw(EVERYONE, 30, seed=7))) == 30, "no mutant drawn twice"
    assert sorted(draw(EVERYONE, 500, seed=1), key=str) == sorted(EVERYONE, key=str), "asked for more: all of them"


def test_a_module_changed_or_its_session_made_again_leaves_the_rest_of_the_draw_as_it_was():
    """Drawn by place in a list, one mutant more in one module changed nearly the whole draw (139 and 136 of 150 to
    judge afresh at two stops): the verdicts of one stop were lost to the next."""
    modules = [f"app/m{m}.py" for m in range(20)]
    before = [d for m in modules for d in _kinds(m, 60, "first")]
    after = [d for m in modules for d in _kinds(m, 61 if m == "app/m3.py" else 60, "again")]  # every job id new
    drawn_before = {(d.module, d.kind) for d in draw(before, 150, seed=9) if d.module != "app/m3.py"}
    drawn_after = {(d.module, d.kind) for d in draw(after, 150, seed=9) if d.module != "app/m3.py"}
    assert len(drawn_before ^ drawn_after) <= 2, "at most the mutant at the draw's edge moves in or out"
    assert 0.5 < len({d.module for d in draw(after, 150, seed=9)}) / len(modules) <= 1, "drawn across the modules"


@pytest.mark.parametrize(
    ("killed", "judged", "low", "high"),
    [(90, 100, 82.6, 94.5), (150, 150, 97.5, 100.0), (0, 10, 0.0, 27.8), (1, 2, 9.5, 90.5)],
)
def test_the_interval_is_wilsons_at_95_per_cent(killed, judged, low, high):
    assert wilson(killed, judged) == pytest.approx((low, high), abs=0.05)


def test_nothing_judged_says_nothing_is_known():
    assert wilson(0, 0) == (0.0, 100.0)


def test_only_mutants_without_a_verdict_are_judged_and_each_verdict_is_said():
    sample = EVERYONE[:4]
    outcomes = {sample[0]: "killed", sample[1]: "pending", sample[2]: "survived", sample[3]: "pending"}
    judged, said = [], []

    def verdict(drawn: Drawn) -> Mutant:
        return Mutant(drawn.module, "core/AddNot", 0, 12, outcomes[drawn], job_id=drawn.job_id)

    def judge(drawn: Drawn) -> None:
        judged.append(drawn)
        outcomes[drawn] = "killed"

    judge_sample(sample, verdict, judge, said.append)
    assert judged == [sample[1], sample[3]]
    assert "2 judged before, 2 to judge" in said[0]
    assert said[1].startswith("mutation sample: 1 of 2: app/m0.py:12 core/AddNot killed in ")


def test_the_report_leaves_equivalents_out_and_lists_every_survivor():
    sample = EVERYONE[:5]
    outcomes = ["killed", "killed", "survived", "survived", "skipped"]
    mutants = [
        Mutant(d.module, "slips/DropElement", 0, 10 + n, outcome, job_id=d.job_id, diff=f"-    'kept{n}',\n")
        for n, (d, outcome) in enumerate(zip(sample, outcomes, strict=True))
    ]
    mutants[3].equivalent = "no request can tell"
    text, estimate = report(sample, {"app/m0.py": ModuleScore("app/m0.py", mutants)}, of_all=200, seed=7)
    assert estimate == pytest.approx(100 * 2 / 3)
    assert "| 2 | 1 | 1 | 0 | 1 | **66.7 %** |" in text
    assert "drawn with seed 7 from all 200 of the modules" in text
    assert "- `app/m0.py:12` slips/DropElement: `(removed) 'kept2',`" in text
    assert "app/m0.py:13" not in text, "an equivalent is no survivor"


def test_the_modules_of_the_drawn_mutants_settle_what_a_recorded_equivalent_names_before_any_is_judged(
    monkeypatch, tmp_path
):
    from support.runners import mutation

    settled: list[tuple[str, list[dict]]] = []
    monkeypatch.setattr(
        mutation, "settle_known_equivalents", lambda module, session, known: settled.append((module, known)) or 0
    )
    known = [{"module": "*", "operator": "ReplaceBinaryOperator_Mul_Div"}]
    sessions = {f"app/m{m}.py": tmp_path / f"m{m}.sqlite" for m in range(5)}
    mutation.settle_drawn([EVERYONE[0], EVERYONE[1], EVERYONE[45]], sessions, known)
    assert settled == [("app/m0.py", known), ("app/m1.py", known)]
