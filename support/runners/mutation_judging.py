"""Chosen mutants judged one at a time, each as ``make mutation`` judges a module's: applied to the file on disk,
its check run (``support/runners/mutant_check.py``), its verdict kept in its module's session. Used by the
sample (``make mutation SAMPLE=n``) and by the recorded equivalents' own run (``make mutation EQUIVALENTS=1``).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from support.runners.mutation_sessions import Mutant, read_session


@dataclass(frozen=True)
class Drawn:
    module: str
    job_id: str
    # what the mutant is in its module whatever its session ("operator#occurrence", as the ledger names it)
    kind: str = field(default="", compare=False)


def check_command(module: str) -> str:
    """The command that judges a mutant of ``module`` on disk (exit 0: it survived)."""
    return f"{sys.executable} -m support.runners.mutant_check {module}"


class Judging:
    """Judges mutants of the modules whose sessions it is given, with the stack's addresses in ``env``."""

    def __init__(self, sessions: dict[str, Path], env: dict[str, str], timeout: float) -> None:
        self._sessions = sessions
        self._timeout = timeout
        os.environ.update(env)  # the check each mutant runs reads the stack's addresses and the map from it
        from support.runners.slips import install as install_slips

        install_slips()

    def judge(self, drawn: Drawn) -> None:
        """Applies the mutant, runs its check and keeps the verdict in its session."""
        from cosmic_ray.mutating import mutate_and_test  # make mutation's packages (the bench lock)
        from cosmic_ray.work_db import WorkDB, use_db

        with use_db(str(self._sessions[drawn.module]), WorkDB.Mode.open) as db:
            item = next(item for item in db.work_items if item.job_id == drawn.job_id)
        result = mutate_and_test(item.mutations, check_command(drawn.module), self._timeout)
        with use_db(str(self._sessions[drawn.module]), WorkDB.Mode.open) as db:
            db.set_result(drawn.job_id, result)

    def verdict(self, drawn: Drawn) -> Mutant:
        """The mutant as its session holds it now."""
        mutants = read_session(drawn.module, self._sessions[drawn.module]).mutants
        return next(m for m in mutants if m.job_id == drawn.job_id)
