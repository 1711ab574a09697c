"""The verdicts a mutation session keeps, read: each mutant with its outcome, diff and what judged it; the
score of a module; the survivors recorded as equivalent (``support/runners/mutation_equivalents.toml``)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from support.report.layout import REPO_ROOT
from support.runners.mutation_shape import same_mutants

EQUIVALENTS = REPO_ROOT / "support" / "runners" / "mutation_equivalents.toml"


@dataclass
class Mutant:
    module: str
    operator: str
    occurrence: int
    line: int
    outcome: str  # killed, survived, incompetent, skipped, pending
    diff: str = ""
    output: str = ""
    equivalent: str = ""  # the reason, when judged equivalent
    job_id: str = ""  # cosmic-ray's id of this mutant in its session

    @property
    def mutated_line(self) -> str:
        """The first line the mutant wrote, or ``(removed) <line>`` when it only dropped one (an element of a
        literal, a keyword argument on a line of its own)."""
        added, removed = self._changed("+"), self._changed("-")
        return added[0] if added else (f"(removed) {removed[0]}" if removed else "")

    def _changed(self, sign: str) -> list[str]:
        return [line[1:].strip() for line in self.diff.splitlines() if line[:1] == sign and line[:2] != sign * 2]

    @property
    def judged_by(self) -> str:
        """What judged it, as its check said (the scenarios of its line, the module's features, or nobody)."""
        said = [line for line in self.output.splitlines() if line.startswith("judged by")]
        return said[0] if said else ""


@dataclass
class ModuleScore:
    module: str
    mutants: list[Mutant] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for m in self.mutants if m.outcome == outcome and not m.equivalent)

    @property
    def equivalent(self) -> int:
        return sum(1 for m in self.mutants if m.equivalent)

    @property
    def score(self) -> float | None:
        judged = self.count("killed") + self.count("survived")
        return 100.0 * self.count("killed") / judged if judged else None


def slug(module: str) -> str:
    return module.removeprefix("app/").removesuffix(".py").replace("/", ".")


def source_copy(module: str, folder: Path) -> Path:
    """Where the text a module's session was made from is kept, beside the session."""
    return folder / f"{slug(module)}.source.py"


def session_of_this_shape(module: str, folder: Path, text: str) -> bool:
    """Whether the module's session in ``folder`` was made from a text of the same shape as ``text`` (the same
    mutants at the same places): only then do its verdicts speak of that text."""
    copy = source_copy(module, folder)
    return (folder / f"{slug(module)}.sqlite").exists() and copy.exists() and same_mutants(copy.read_text(), text)


def read_session(module: str, session: Path) -> ModuleScore:
    from cosmic_ray.work_db import WorkDB, use_db

    score = ModuleScore(module)
    with use_db(str(session), WorkDB.Mode.open) as db:
        results = dict(db.results)
        for item in db.work_items:
            mutation = item.mutations[0]
            result = results.get(item.job_id)
            if result is None:
                outcome = "pending"
            elif result.worker_outcome.value == "skipped":
                outcome = "skipped"
            elif result.test_outcome is None:
                outcome = "incompetent"
            else:
                outcome = result.test_outcome.value
            score.mutants.append(
                Mutant(
                    module,
                    mutation.operator_name.removeprefix("core/"),
                    mutation.occurrence,
                    mutation.start_pos[0],
                    outcome,
                    diff=(result.diff or "") if result else "",
                    output=(result.output or "")[-1500:] if result else "",
                    job_id=item.job_id,
                )
            )
    return score


def judge_equivalents(score: ModuleScore, equivalents: list[dict]) -> None:
    """Marks the survivors listed as equivalent (matched by module, or ``*`` for a rule, operator, and the
    mutated line's text)."""
    for mutant in score.mutants:
        if mutant.outcome == "survived":
            mutant.equivalent = named_by(mutant, equivalents) or ""


def named_by(mutant: Mutant, equivalents: list[dict]) -> str | None:
    """The reason of the last entry of ``equivalents`` that names ``mutant``, whatever its verdict; None when no
    entry does."""
    reasons = [
        known["reason"]
        for known in equivalents
        if known["module"] in (mutant.module, "*")
        and known["operator"] == mutant.operator
        and _same_line(known, mutant.mutated_line)
    ]
    return reasons[-1] if reasons else None


def _same_line(known: dict, mutated: str) -> bool:
    """An entry names the mutated line exactly (``mutated``) or by a pattern (``mutated_pattern``, for a rule)."""
    if "mutated_pattern" in known:
        return re.search(known["mutated_pattern"], mutated) is not None
    return known["mutated"].strip() == mutated


def equivalents_known() -> list[dict]:
    return tomllib.loads(EQUIVALENTS.read_text()).get("equivalent", []) if EQUIVALENTS.exists() else []
