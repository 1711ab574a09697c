"""The verdicts of ``make mutation`` kept in the repository, so that judging all of app/ goes on across
checkouts and machines: ``docs/mutation/verdicts.jsonl``.

A session (``reports/mutation/<module>.sqlite``) lives in a folder no checkout keeps. At the end of every run,
stopped or not, the verdicts of each module whose session holds the mutants of the module's committed text
are written to the ledger, one line per module: the digest of the module's shape (``mutation_shape``: the
same for a text that differs only in names, words and layout), how many mutants it makes, and each judged
mutant's verdict by its operator and occurrence (a survivor with its line, its diff and what judged it).
A session made afresh takes the ledger's verdicts when the shape is the same (no mutant is judged twice);
when the module changed, its line no longer applies and its mutants are judged again. ``make mutation
STANDING=1`` counts a module with no session from its line. A survivor taken from the ledger is judged again
by ``AGAIN=1`` like any other. The digest is of Python's syntax tree: another Python version may not match it,
and then the module is judged afresh.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from support.report.layout import REPO_ROOT
from support.runners.mutation_known_equivalents import NOT_RUN
from support.runners.mutation_sessions import ModuleScore, Mutant, read_session, session_of_this_shape, slug
from support.runners.mutation_shape import shape_digest

LEDGER = REPO_ROOT / "docs" / "mutation" / "verdicts.jsonl"
KEPT = ("killed", "survived", "incompetent")  # what a run decided; pending and skipped are not verdicts
OUTPUT_KEPT = 600  # a survivor's check output kept: its end says what judged it


@dataclass(frozen=True, slots=True)
class ModuleVerdicts:
    module: str
    shape: str
    mutants: int
    verdicts: dict[str, dict[str, object]]  # "operator#occurrence": outcome, line, and a survivor's diff and output


def key(operator: str, occurrence: int) -> str:
    return f"{operator}#{occurrence}"


def read_ledger(path: Path = LEDGER) -> dict[str, ModuleVerdicts]:
    """Every module's line, by module (none when the ledger does not exist)."""
    if not path.exists():
        return {}
    kept = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            kept[entry["module"]] = ModuleVerdicts(
                entry["module"], entry["shape"], int(entry["mutants"]), dict(entry["verdicts"])
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a module's verdicts ({exc})") from None
    return kept


def verdicts_of(score: ModuleScore, text: str) -> ModuleVerdicts:
    """The line of one module's session: the verdicts it reached, for the module's text ``text``."""
    verdicts: dict[str, dict[str, object]] = {}
    for mutant in score.mutants:
        if mutant.outcome not in KEPT:
            continue
        verdict: dict[str, object] = {"outcome": mutant.outcome, "line": mutant.line}
        if mutant.outcome == "survived":  # what judged it is at its output's end; an entry's settling at its start
            output = mutant.output[:OUTPUT_KEPT] if mutant.output.startswith(NOT_RUN) else mutant.output[-OUTPUT_KEPT:]
            verdict |= {"diff": mutant.diff, "output": output}
        verdicts[key(mutant.operator, mutant.occurrence)] = verdict
    made = sum(1 for mutant in score.mutants if mutant.outcome != "skipped")  # skipped: an operator not kept
    return ModuleVerdicts(score.module, shape_digest(text), made, verdicts)


def keep(sessions: Path, modules: Iterable[str], root: Path = REPO_ROOT, path: Path = LEDGER) -> list[str]:
    """Writes the verdicts of each module's session in ``sessions`` to the ledger, when the session was made from
    the module's text in ``root`` (or one of the same shape); the other lines are left as they were. Returns the
    modules written."""
    kept = read_ledger(path)
    written = []
    for module in modules:
        text = (root / module).read_text()
        if not session_of_this_shape(module, sessions, text):
            continue  # none, or made from another text: its verdicts say nothing of this one
        line = verdicts_of(read_session(module, sessions / f"{slug(module)}.sqlite"), text)
        if line.verdicts or module in kept:
            kept[module] = line
            written.append(module)
    if written:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "".join(
                json.dumps(
                    {"module": m.module, "shape": m.shape, "mutants": m.mutants, "verdicts": m.verdicts},
                    sort_keys=True,
                    separators=(",", ":"),
                )
                + "\n"
                for m in sorted(kept.values(), key=lambda m: m.module)
            )
        )
    return written


def restore(module: str, session: Path, *, survivors: bool = True, root: Path = REPO_ROOT, path: Path = LEDGER) -> int:
    """Gives the session's mutants not yet judged the ledger's verdicts, when the module's shape is the one they
    were reached on (``survivors=False``: the survivors left to judge again). Returns how many it took."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

    line = _line_for(module, root, path)
    if line is None:
        return 0
    taken = 0
    with use_db(str(session), WorkDB.Mode.open) as db:
        done = {job_id for job_id, _ in db.results}
        for item in db.work_items:
            mutation = item.mutations[0]
            verdict = line.verdicts.get(key(mutation.operator_name.removeprefix("core/"), mutation.occurrence))
            if verdict is None or item.job_id in done or (verdict["outcome"] == "survived" and not survivors):
                continue
            outcome = str(verdict["outcome"])
            db.set_result(
                item.job_id,
                WorkResult(
                    worker_outcome=WorkerOutcome.NORMAL,
                    test_outcome=None if outcome == "incompetent" else TestOutcome(outcome),
                    output=str(verdict.get("output", "")) or f"{outcome}, as kept in {path.name}",
                    diff=str(verdict.get("diff", "")),
                ),
            )
            taken += 1
    return taken


def score_kept(module: str, root: Path = REPO_ROOT, path: Path = LEDGER) -> ModuleScore | None:
    """A module's standing from its ledger line alone (no session here), or None when it has none for the
    module's text: its verdicts, and as many not judged as the rest of its mutants."""
    line = _line_for(module, root, path)
    if line is None:
        return None
    score = ModuleScore(module)
    for name, verdict in line.verdicts.items():
        operator, _, occurrence = name.rpartition("#")
        score.mutants.append(
            Mutant(
                module,
                operator,
                int(occurrence),
                int(str(verdict["line"])),
                str(verdict["outcome"]),
                diff=str(verdict.get("diff", "")),
                output=str(verdict.get("output", "")),
            )
        )
    score.mutants += [Mutant(module, "", 0, 0, "pending") for _ in range(line.mutants - len(line.verdicts))]
    return score


def _line_for(module: str, root: Path, path: Path) -> ModuleVerdicts | None:
    """The module's line of the ledger, when it was written for the shape of the module's text in ``root``."""
    line = read_ledger(path).get(module)
    return line if line is not None and line.shape == shape_digest((root / module).read_text()) else None
