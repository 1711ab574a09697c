"""The living documentation: the whole specification as one page a product owner reads.

    .venv/bin/python -m support.documentation.living_docs [--results reports/allure-results] [--out reports/docs/index.html]

The personas first; then every feature by business area, with its narrative, background, rules and
scenarios: every step with its data table or text, every outline once with its Examples table and a
result per row; each scenario's result in the last run, and for a failed one the step, the message and a
link to its evidence in the Allure report; the pass rate per area and per feature; a search and filters
(text, tag, result, persona) that work with no server; a glossary from the business's words to the
contract's terms; the tag legend and the step catalogue. One self-contained HTML file that fetches nothing
(``make docs``).

No existing generator fits: Pickles is .NET and reads no behave results, Relish is gone, and Allure shows
only what ran.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path

from app.domain.roles import ROLE_PERMISSIONS, Permission, Role
from support.documentation.glossary import GLOSSARY
from support.documentation.run_results import ScenarioResult, read_results
from support.documentation.spec_model import FeatureDoc, ScenarioDoc, StepDoc, read_features
from support.report.allure_labels import AREAS
from support.report.layout import REPO_ROOT
from support.scenario import time_limit
from support.scenario.personas import PERSONAS

__all__ = ["build", "read_results"]

STEP_DECORATORS = ("given", "when", "then", "step")
SHOWN = ("passed", "failed", "broken", "skipped", "flaky", "not run")

# What each tag means, for the legend; tests/support/test_living_docs.py fails on a tag used and not explained here.
TAG_LEGEND: dict[str, str] = {
    "smoke": "a few scenarios that show the platform works at all; `make spec TAGS=@smoke` runs them in seconds",
    "critical": "money, rights or data at stake: a failure here stops a release (the report's quality gate)",
    "normal": "the default severity of a scenario that names none",
    "journey": "tells a journey in order (a fault and its recovery, a series of attempts, a life cycle): more than one When",
    "slow": "takes more than a few seconds (many journeys, many people); `TAGS='not @slow'` leaves them out",
    "chaos": "stops, kills or breaks the stack's own services: runs apart, one at a time, only on the embedded stack",
    "perf": "at the seeds' scale (a thousand people); left out unless asked for with `TAGS=@perf`",
    "flaky": "a known-flaky scenario: retried once, and a pass on the retry is reported as flaky, never as a plain pass",
    "time_limit:N": (
        "raises the scenario's time limit to N seconds "
        f"(the default is `SCENARIO_TIME_LIMIT`, {time_limit.DEFAULT_SECONDS})"
    ),
    "needs_mail_server": "reads what the mail server received: skipped, saying so, where none is reachable",
    "needs_analytics_store": "reads the analytics store as it lies: skipped, saying so, where it is not given",
    "needs_platform_code": "starts the platform from this checkout: only with the embedded stack",
    "needs_token_secret": "needs the platform's signing key (`TOKEN_SECRET`): skipped, saying so, without it",
    "allure.issue:N": "links the feature to issue N, once `AllureFormatter.issue_pattern` names a tracker",
}

# What each right lets a person do, in the business's words.
RIGHTS: dict[Permission, str] = {
    Permission.MANAGE_USERS: "add colleagues and change their roles",
    Permission.READ_USERS: "see who works for the company",
    Permission.WRITE_SALES: "capture leads, work deals, write follow-up tasks",
    Permission.READ_SALES: "read leads, deals and clients",
    Permission.READ_PROJECTS: "read delivery projects and their tasks",
    Permission.WRITE_BILLING: "draft, issue and void invoices, refund payments",
    Permission.READ_BILLING: "read invoices and payments",
    Permission.TAKE_PAYMENTS: "take card payments",
    Permission.READ_COMMISSIONS: "read commissions",
    Permission.READ_AUDIT: "read and verify the audit trail",
    Permission.READ_REPORTS: "read the forecast, receivables, profit and loss",
    Permission.DECIDE_APPROVALS: "approve or reject high-value deals and payments",
    Permission.READ_ANALYTICS: "read the analytics (the funnel, money received per day)",
}
ROLE_WORDS = {
    "owner": "owner",
    "sales": "sales",
    "finance": "finance",
    "compliance": "compliance officer",
    "analyst": "analyst",
}


@dataclass(frozen=True)
class StepText:
    keyword: str
    text: str
    doc: str
    where: str


def read_steps(root: Path = REPO_ROOT / "steps") -> list[StepText]:
    steps = []
    for path in sorted(root.glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", "") in STEP_DECORATORS:
                    text = (
                        decorator.args[0].value
                        if decorator.args and isinstance(decorator.args[0], ast.Constant)
                        else ""
                    )
                    doc = (ast.get_docstring(node) or "").strip()
                    steps.append(StepText(decorator.func.id.title(), str(text), doc, f"{path.name}:{node.lineno}"))
    return sorted(steps, key=lambda s: (("Given", "When", "Then", "Step").index(s.keyword), s.text))


def build(
    results: Path,
    features_root: Path = REPO_ROOT / "features",
    steps_root: Path = REPO_ROOT / "steps",
    report: Path | None = None,
) -> str:
    features = read_features(features_root)
    found, ended = read_results(results, report)
    return Page(features, found, ended, read_steps(steps_root)).html()


class Page:
    def __init__(
        self,
        features: list[FeatureDoc],
        results: dict[tuple[str, str], ScenarioResult],
        ended: datetime | None,
        steps: list[StepText],
    ) -> None:
        self.features, self.results, self.ended, self.steps = features, results, ended, steps

    def result(self, feature: FeatureDoc, name: str) -> ScenarioResult:
        return self.results.get((feature.name, name), ScenarioResult("not run"))

    def statuses(self, feature: FeatureDoc) -> list[str]:
        return [self.result(feature, n).status for s in feature.scenarios for n in s.run_names]

    def html(self) -> str:
        every = [status for f in self.features for status in self.statuses(f)]
        counts = Counter(every)
        when = f"the run that ended {self.ended:%Y-%m-%d %H:%M} UTC" if self.ended else "no run yet"
        summary = ", ".join(f"{counts[s]} {s}" for s in SHOWN if counts[s])
        areas = sorted({f.area for f in self.features})
        out = [
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
            "<meta name='viewport' content='width=device-width, initial-scale=1'>",
            "<title>Business platform specification</title>",
            f"<style>{CSS}</style></head><body>",
            "<h1>Business platform specification</h1>",
            f"<p id='summary'>{len(self.features)} features, {len(every)} scenarios; results of {escape(when)}: "
            f"<span id='counts'>{escape(summary)}</span> ({_rate(every)} passed).</p>",
            "<nav>" + "".join(f"<a href='#{a}'>{escape(_area_title(a))}</a>" for a in areas),
            "<a href='#glossary'>Glossary</a><a href='#tags'>Tags</a><a href='#steps'>Steps</a></nav>",
            *self.personas(),
            *self.filters(),
            "<table class='rates'><tr><th>area</th><th>scenarios</th><th>passed</th></tr>",
        ]
        for area in areas:
            statuses = [s for f in self.features if f.area == area for s in self.statuses(f)]
            out.append(
                f"<tr><td><a href='#{area}'>{escape(_area_title(area))}</a></td><td>{len(statuses)}</td>"
                f"<td>{_rate(statuses)}</td></tr>"
            )
        out.append("</table><p id='shown'></p>")
        for area in areas:
            out.append(f"<h2 id='{area}' class='area'>{escape(_area_title(area))}</h2>")
            for feature in (f for f in self.features if f.area == area):
                out.extend(self.feature(feature))
        out += [*_glossary(), *_tags(), *self.catalogue(), f"<script>{SCRIPT}</script></body></html>"]
        return "\n".join(out)

    def personas(self) -> list[str]:
        out = [
            "<h2 id='personas'>Personas</h2>",
            "<p>Every scenario has a company of its own, in which these people work (the platform's one role table):</p>",
            "<table><tr><th>person</th><th>role</th><th>may</th></tr>",
        ]
        for name, role in PERSONAS.items():
            rights = sorted(ROLE_PERMISSIONS[Role(role)], key=list(Permission).index)
            out.append(
                f"<tr id='persona-{name}'><td><b>{name}</b></td><td>{ROLE_WORDS.get(role, role)}</td>"
                f"<td>{escape('; '.join(RIGHTS[p] for p in rights))}</td></tr>"
            )
        return [*out, "</table>"]

    def filters(self) -> list[str]:
        tags = sorted({t for f in self.features for s in f.scenarios for t in [*f.tags, *s.tags]} - {"normal"})
        results = "".join(f"<option value='{s}'>{s}</option>" for s in SHOWN)
        return [
            "<div id='filters'>",
            "<input id='search' type='search' placeholder='Search scenarios, steps, tables…' aria-label='search'>",
            f"<select id='result' aria-label='result'><option value=''>every result</option>{results}</select>",
            "<select id='tag' aria-label='tag'><option value=''>every tag</option>"
            + "".join(f"<option value='{escape(t)}'>@{escape(t)}</option>" for t in tags)
            + "</select>",
            "<select id='persona' aria-label='persona'><option value=''>every person</option>"
            + "".join(f"<option value='{p}'>{p}</option>" for p in PERSONAS)
            + "</select></div>",
        ]

    def feature(self, feature: FeatureDoc) -> list[str]:
        statuses = self.statuses(feature)
        people = [p for p in PERSONAS if re.search(rf"\b{p}\b", feature.text)]
        out = [
            f"<section class='feature' data-area='{feature.area}'>",
            f"<h3>{escape(feature.name)} <span class='rate'>{_feature_rate(statuses)}</span></h3>",
            f"<div class='where'>{escape(feature.path)} {_tags_html(feature.tags)} "
            + "".join(f"<a class='persona' href='#persona-{p}'>{p}</a>" for p in people)
            + "</div>",
            f"<p class='narrative'>{escape(feature.narrative)}</p>",
        ]
        if feature.background:
            out.append("<div class='background'><b>Background</b>" + _steps_html(feature.background) + "</div>")
        shown_rule = None
        for scenario in feature.scenarios:
            if scenario.rule and scenario.rule != shown_rule:
                shown_rule = scenario.rule
                out.append(
                    f"<h4 class='rule'>Rule: {escape(scenario.rule)}</h4>"
                    f"<p class='narrative'>{escape(feature.rules[scenario.rule])}</p>"
                )
            out.append(self.scenario(feature, scenario))
        return [*out, "</section>"]

    def scenario(self, feature: FeatureDoc, scenario: ScenarioDoc) -> str:
        results = [self.result(feature, name) for name in scenario.run_names]
        worst = next((r for r in results if r.failed), None) or results[0]
        tags = [t for t in scenario.tags if t not in feature.tags]
        search = " ".join([scenario.name, *(s.text for s in scenario.steps), *_table_words(scenario)]).lower()
        people = " ".join(p for p in PERSONAS if re.search(rf"\b{p}\b", search, re.I))
        status = worst.status if not scenario.is_outline else _outline_status(results)
        body = [_steps_html(scenario.steps)]
        for examples in scenario.examples:
            body.append(self.examples(feature, examples))
        body += [self.failure(r, name) for r, name in zip(results, scenario.run_names, strict=True) if r.failed]
        return (
            f"<details class='scenario' data-result='{' '.join(sorted({r.status for r in results}))}' "
            f"data-tags='{escape(' '.join([*feature.tags, *scenario.tags]))}' data-people='{people}' "
            f"data-text='{escape(search)}' {'open' if worst.failed else ''}>"
            f"<summary><span class='status {_css(status)}'>{escape(status)}</span>{escape(scenario.name)} "
            f"{_tags_html(tags)}{_seconds(results)}</summary>" + "".join(body) + "</details>"
        )

    def examples(self, feature: FeatureDoc, examples: object) -> str:
        headings, rows, names = examples.headings, examples.rows, examples.row_names  # type: ignore[attr-defined]
        head = "".join(f"<th>{escape(h)}</th>" for h in headings) + "<th>result</th>"
        lines = []
        for row, name in zip(rows, names, strict=True):
            result = self.result(feature, name)
            cells = "".join(f"<td>{escape(c)}</td>" for c in row)
            lines.append(f"<tr>{cells}<td><span class='status {_css(result.status)}'>{result.status}</span></td></tr>")
        title = f"<div class='examples'>Examples{': ' + escape(examples.name) if examples.name else ''}</div>"  # type: ignore[attr-defined]
        return f"{title}<table class='examples'><tr>{head}</tr>{''.join(lines)}</table>"

    def failure(self, result: ScenarioResult, name: str) -> str:
        link = (
            f"<a href='../allure-report/index.html#/{result.report_id}'>its evidence in the Allure report</a>"
            if result.report_id
            else "<a href='../allure-report/index.html'>the Allure report</a>"
        )
        message = "\n".join(result.message.splitlines()[:12])
        return (
            f"<div class='failure'><b>{escape(name)}</b> {result.status} at the step "
            f"<code>{escape(result.step or '(before the first step)')}</code>:"
            f"<pre>{escape(message)}</pre>See {link}.</div>"
        )

    def catalogue(self) -> list[str]:
        out = [
            "<h2 id='steps'>Step catalogue</h2>",
            f"<p>{len(self.steps)} step texts; each delegates to <code>support/</code>.</p>",
            "<table><tr><th>step</th><th>what it does</th></tr>",
        ]
        out += [
            f"<tr><td><b>{s.keyword}</b> {escape(s.text)}<div class='where'>{escape(s.where)}</div></td>"
            f"<td>{escape(s.doc)}</td></tr>"
            for s in self.steps
        ]
        return [*out, "</table>"]


def _steps_html(steps: list[StepDoc]) -> str:
    lines = []
    for step in steps:
        line = f"<div class='step'><b>{escape(step.keyword)}</b> {escape(step.text)}</div>"
        if step.table:
            headings, rows = step.table
            head = "".join(f"<th>{escape(h)}</th>" for h in headings)
            body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
            line += f"<table class='data'><tr>{head}</tr>{body}</table>"
        if step.docstring:
            line += f"<pre class='docstring'>{escape(step.docstring)}</pre>"
        lines.append(line)
    return "<div class='steps'>" + "".join(lines) + "</div>"


def _table_words(scenario: ScenarioDoc) -> list[str]:
    words = [" ".join(cell for row in s.table[1] for cell in row) for s in scenario.steps if s.table]
    return words + [" ".join(" ".join(row) for row in e.rows) for e in scenario.examples]


def _feature_rate(statuses: list[str]) -> str:
    ran = [s for s in statuses if s not in ("not run", "skipped")]
    return f"{_rate(statuses)} of {len(ran)} passed" if ran else f"not run ({len(statuses)} scenarios)"


def _outline_status(results: list[ScenarioResult]) -> str:
    statuses = {r.status for r in results}
    for status in ("failed", "broken", "flaky", "not run", "skipped"):
        if status in statuses:
            return status
    return "passed"


def _rate(statuses: list[str]) -> str:
    ran = [s for s in statuses if s not in ("not run", "skipped")]
    return f"{100 * sum(s in ('passed', 'flaky') for s in ran) / len(ran):.0f} %" if ran else "none ran"


def _seconds(results: list[ScenarioResult]) -> str:
    ran = [r for r in results if r.status != "not run"]
    return f"<span class='seconds'>{sum(r.seconds for r in ran):.2f} s</span>" if ran else ""


def _css(status: str) -> str:
    return status.replace(" ", "-")


def _area_title(area: str) -> str:
    return AREAS.get(area, (area.title(), ""))[0]


def _tags_html(tags: list[str]) -> str:
    return "".join(f"<span class='tag'>@{escape(t)}</span>" for t in tags)


def _glossary() -> list[str]:
    out = [
        "<h2 id='glossary'>Glossary: the business's words and the contract's terms</h2>",
        "<table><tr><th>in the features</th><th>in the contract</th><th>what it is</th></tr>",
    ]
    out += [
        f"<tr><td>{escape(w)}</td><td><code>{escape(t)}</code></td><td>{escape(m)}</td></tr>" for w, t, m in GLOSSARY
    ]
    return [*out, "</table>"]


def _tags() -> list[str]:
    out = ["<h2 id='tags'>Tags</h2>", "<table><tr><th>tag</th><th>meaning</th></tr>"]
    out += [
        f"<tr><td><span class='tag'>@{escape(t)}</span></td><td>{escape(m)}</td></tr>" for t, m in TAG_LEGEND.items()
    ]
    return [*out, "</table>"]


CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1150px;padding:1em 2em;color:#222}
h1{margin-bottom:0} h2{border-bottom:2px solid #ddd;margin-top:2em} h3{margin:1.4em 0 .2em}
.narrative{color:#444;margin:.2em 0 .6em} .tag{font:12px monospace;background:#eef;border-radius:3px;padding:0 4px;margin-right:3px}
.status{font:bold 12px sans-serif;border-radius:3px;padding:1px 6px;color:#fff;margin-right:6px}
.passed{background:#2e7d32}.failed{background:#c62828}.broken{background:#ef6c00}.skipped{background:#757575}
.not-run{background:#9e9e9e}.flaky{background:#8e24aa}
details{margin:.15em 0} summary{cursor:pointer} .steps{font:13px monospace;margin:.3em 0 .6em 1.5em;color:#333}
table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
table.data,table.examples{font:12px monospace;margin:.2em 0 .4em 1.5em} .examples{margin-left:1.5em;font-weight:bold}
.where{color:#888;font-size:12px} nav a{margin-right:1em} .rate{font-size:13px;color:#2e7d32;font-weight:normal}
.seconds{color:#999;font-size:12px;margin-left:.5em} .rule{color:#444;margin:1em 0 0}
.failure{border-left:4px solid #c62828;background:#fdecea;padding:.3em .8em;margin:.3em 0 .6em 1.5em}
.failure pre{white-space:pre-wrap;margin:.3em 0} .docstring{margin:.2em 0 .4em 1.5em;background:#f6f6f6;padding:.3em}
#filters{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #ddd;z-index:1}
#filters input{width:40%} .persona{font-size:12px;margin-left:.4em} .hidden{display:none}
"""

# The filters: every scenario keeps its words, results, tags and people in data attributes; a feature with no
# scenario left shown is hidden too. No server, no library.
SCRIPT = """
(function () {
  var search = document.getElementById('search'), result = document.getElementById('result'),
      tag = document.getElementById('tag'), persona = document.getElementById('persona'),
      shown = document.getElementById('shown');
  function apply() {
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean), count = 0;
    document.querySelectorAll('details.scenario').forEach(function (s) {
      var text = s.dataset.text, ok = words.every(function (w) { return text.indexOf(w) >= 0; });
      ok = ok && (!result.value || s.dataset.result.split(' ').indexOf(result.value) >= 0);
      ok = ok && (!tag.value || s.dataset.tags.split(' ').indexOf(tag.value) >= 0);
      ok = ok && (!persona.value || s.dataset.people.split(' ').indexOf(persona.value) >= 0);
      s.classList.toggle('hidden', !ok);
      if (ok) { count += 1; }
    });
    document.querySelectorAll('section.feature').forEach(function (f) {
      f.classList.toggle('hidden', !f.querySelector('details.scenario:not(.hidden)'));
    });
    document.querySelectorAll('h2.area').forEach(function (h) {
      h.classList.toggle('hidden', !document.querySelector("section.feature[data-area='" + h.id + "']:not(.hidden)"));
    });
    var filtering = words.length || result.value || tag.value || persona.value;
    shown.textContent = filtering ? count + ' scenarios shown' : '';
  }
  [search, result, tag, persona].forEach(function (input) { input.addEventListener('input', apply); });
})();
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=REPO_ROOT / "reports" / "allure-results")
    parser.add_argument("--report", type=Path, default=REPO_ROOT / "reports" / "allure-report")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "reports" / "docs" / "index.html")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(build(args.results, report=args.report))
    print(f"docs: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
