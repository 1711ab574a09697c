"""The specification as the living documentation shows it, read from the feature files.

Every feature with its narrative, background, rules and scenarios; each step with its data table or text;
each outline once, with its Examples tables (a row per example, named as behave names it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from behave.model import Rule, ScenarioOutline
from behave.parser import parse_file

from support.report.layout import REPO_ROOT


@dataclass(frozen=True)
class StepDoc:
    keyword: str
    text: str
    table: tuple[tuple[str, ...], tuple[tuple[str, ...], ...]] | None = None  # (headings, rows)
    docstring: str | None = None


@dataclass
class ExamplesDoc:
    name: str
    headings: tuple[str, ...]
    rows: list[tuple[str, ...]]
    row_names: list[str]  # each row's scenario name, as the run reports it
    row_lines: list[int]


@dataclass
class ScenarioDoc:
    name: str
    line: int
    tags: list[str]
    steps: list[StepDoc]
    rule: str | None = None
    examples: list[ExamplesDoc] = field(default_factory=list)  # an outline's; empty for a scenario

    @property
    def is_outline(self) -> bool:
        return bool(self.examples)

    @property
    def run_names(self) -> list[str]:
        """The names the run reports it under: its own, or each example row's."""
        return [name for examples in self.examples for name in examples.row_names] if self.examples else [self.name]


@dataclass
class FeatureDoc:
    path: str
    area: str
    name: str
    narrative: str
    tags: list[str]
    background: list[StepDoc] = field(default_factory=list)
    rules: dict[str, str] = field(default_factory=dict)  # rule name -> its narrative
    scenarios: list[ScenarioDoc] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Everything the feature says, for search and for finding the personas it speaks of."""
        words = [self.name, self.narrative, *self.rules, *self.rules.values()]
        for scenario in self.scenarios:
            words += [scenario.name, *(f"{s.keyword} {s.text}" for s in scenario.steps)]
            words += [" ".join(row) for examples in scenario.examples for row in examples.rows]
        return " ".join(words)


def _step(step: object) -> StepDoc:
    table = getattr(step, "table", None)
    shaped = (tuple(table.headings), tuple(tuple(row.cells) for row in table.rows)) if table else None
    return StepDoc(step.keyword, step.name, shaped, getattr(step, "text", None))  # type: ignore[attr-defined]


def read_features(root: Path = REPO_ROOT / "features") -> list[FeatureDoc]:
    ScenarioOutline.annotation_schema = "{name}"  # as behave.ini names the rows
    docs = []
    for path in sorted(root.rglob("*.feature")):
        feature = parse_file(str(path))
        doc = FeatureDoc(
            path=str(path.relative_to(root.parent)),
            area=path.parent.name,
            name=feature.name,
            narrative=" ".join(feature.description),
            tags=list(feature.tags),
            background=[_step(s) for s in feature.background.steps] if feature.background else [],
        )
        for item in feature.run_items:
            rule = item.name if isinstance(item, Rule) else None
            if isinstance(item, Rule):
                doc.rules[item.name] = " ".join(item.description)
            for scenario in item.run_items if isinstance(item, Rule) else [item]:
                doc.scenarios.append(_scenario(scenario, rule))
        docs.append(doc)
    return docs


def _scenario(scenario: object, rule: str | None) -> ScenarioDoc:
    doc = ScenarioDoc(
        scenario.name.strip(),  # type: ignore[attr-defined]
        scenario.line,  # type: ignore[attr-defined]
        [str(t) for t in scenario.tags],  # type: ignore[attr-defined]
        [_step(s) for s in scenario.steps],  # type: ignore[attr-defined]
        rule,
    )
    if isinstance(scenario, ScenarioOutline):
        built = list(scenario.scenarios)
        for examples in scenario.examples:
            rows = [tuple(row.cells) for row in examples.table.rows]
            mine = built[: len(rows)]
            built = built[len(rows) :]
            doc.examples.append(
                ExamplesDoc(
                    examples.name,
                    tuple(examples.table.headings),
                    rows,
                    [s.name.strip() for s in mine],
                    [s.line for s in mine],
                )
            )
    return doc
