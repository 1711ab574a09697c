"""Mutants a recorded equivalent already names, settled before anything judges them.

A mutant the equivalents file names (``support/runners/mutation_equivalents.toml``: a rule such as a
keyword-only marker made positional-only, or one line of one module) is left out of the score whatever
happens to it; a survivor pays every test of tests/app and the type checker (minutes each) before it is
called one. So before a module's session runs, each mutant not judged yet is made in memory, and one whose
mutated line an entry names is recorded as surviving, saying that it was not run and why: the report then
counts it as that equivalent, as it would have after judging it. A mutant the check would have killed is so
left out of the score too (an equivalent entry says no request can tell it apart; if one could, the entry is
wrong, and that is where to look).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from support.report.layout import REPO_ROOT
from support.runners.mutation_sessions import ModuleScore, Mutant, judge_equivalents

NOT_RUN = "not run: a recorded equivalent names this mutant"


def settle_known_equivalents(module: str, session: Path, equivalents: list[dict]) -> int:
    """Records each mutant of ``session`` not yet judged that an entry of ``equivalents`` names as surviving,
    with the entry's reason; how many were."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

    settled = 0
    with use_db(str(session), WorkDB.Mode.open) as db:
        for job_id, mutant in _named_unjudged(module, db, equivalents):
            db.set_result(
                job_id,
                WorkResult(
                    worker_outcome=WorkerOutcome.NORMAL,
                    test_outcome=TestOutcome.SURVIVED,
                    output=f"{NOT_RUN}: {mutant.equivalent}",
                    diff=mutant.diff,
                ),
            )
            settled += 1
    return settled


def named_unjudged(module: str, session: Path, equivalents: list[dict]) -> list[tuple[str, Mutant]]:
    """The mutants of ``session`` not yet judged that an entry of ``equivalents`` names, with their job ids (each
    made in memory: its diff, and the entry's reason as ``equivalent``)."""
    from cosmic_ray.work_db import WorkDB, use_db

    with use_db(str(session), WorkDB.Mode.open) as db:
        return list(_named_unjudged(module, db, equivalents))


def _named_unjudged(module: str, db: Any, equivalents: list[dict]) -> Iterator[tuple[str, Mutant]]:
    """Each mutant of the open session ``db`` not yet judged that an entry names, made in memory (its diff and
    the entry's reason on it)."""
    from cosmic_ray.mutating import mutate_code
    from cosmic_ray.plugins import get_operator

    from support.runners.slips import install

    if not equivalents:
        return
    install()  # the slips operators, as the sessions were made with them
    code = (REPO_ROOT / module).read_text()
    named = {known["operator"] for known in equivalents if known["module"] in (module, "*")}
    for item in list(db.pending_work_items):
        mutation = item.mutations[0]
        if mutation.operator_name.removeprefix("core/") not in named:
            continue  # no entry names a mutant of its operator here: not worth making it (a parse of the module)
        operator = get_operator(mutation.operator_name)(**(getattr(mutation, "operator_args", None) or {}))
        mutated = mutate_code(code, operator, mutation.occurrence)
        if mutated is None:
            continue
        diff = "\n".join(
            difflib.unified_diff(code.splitlines(), mutated.splitlines(), f"a/{module}", f"b/{module}", lineterm="")
        )
        operator_name = mutation.operator_name.removeprefix("core/")
        mutant = Mutant(module, operator_name, mutation.occurrence, 0, "survived", diff=diff)
        judge_equivalents(ModuleScore(module, [mutant]), equivalents)
        if mutant.equivalent:
            yield item.job_id, mutant
