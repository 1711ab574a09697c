"""Which scenarios (and which of the platform's tests) run each line of app/: the map ``make mutation`` judges
a mutant by.

A mutant can only be told apart by a scenario that runs the line it changed. The map is made once per
version of the code and the specification: the whole specification (as a mutant is judged: as make test
runs it, but the @perf scenarios and the @slow one that stops shared services) against a platform that records its lines by scenario (``support.runners.covered_platform``). A
mutant is then judged by the scenarios that run its line, not by every feature of its module:

- a line run by scenarios: those scenarios; a constant of the module: the scenarios that run the statements
  reading it (``revealed_by``);
- a line run while the platform starts (a class's body, a function's defaults, its decorators, a constant
  another module imports, what the start-up runs) or between scenarios: every feature of the module, as
  without the map, and the scenarios that run it too (those that start an instance by hand run the start-up
  as well, but so do the shared instances, before every scenario);
- a line no scenario runs: nothing can tell the mutant apart; it survives without a run, and says why.

The platform's own tests (``tests/app``) are mapped the same way, each line under the test functions that run
it: a mutant is judged by those tests first (seconds, no restart), then by the scenarios.

Choosing fewer scenarios can only let more mutants survive, never fewer: the score the map gives is never
higher than the one the module's features would give.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from support.clients.platform_processes import platform_processes
from support.scenario.eventually import eventually
from support.stack.line_recording import COVERED_PLATFORM, FOLDER_VARIABLE
from support.stack.stack import Stack

TESTS_MAPPED = ("tests/app",)  # the platform's own tests: which of them run each line is mapped too
TEST = "pytest:"  # a context that is a test (``pytest:<file>::<function>``), not a scenario
# As each mutant is judged (support.runners.mutant_check): what make test runs, but the @perf scenarios (not
# in make test) and the @slow @chaos one (hundreds of journeys: minutes a mutant). The other @slow ones take
# seconds, and they alone try every operation for every role and against another company's records.
TAGS = "not @perf and (not @slow or not @chaos)"
MAP_VARIABLE = "SCENARIO_MAP"  # the map's file, given to each mutant's check
ACK_SECONDS = 5.0
HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", re.MULTILINE)


def scenario_begins(location: str, instance_urls: list[str]) -> None:
    """In the run that makes the map (``SCENARIO_COVERAGE_DIR`` set), each platform instance records what it
    runs from now on under ``location``; waits until each says it took it. Elsewhere, nothing."""
    folder = os.environ.get(FOLDER_VARIABLE)
    if not folder:
        return
    (Path(folder) / "current-scenario").write_text(location)
    processes = platform_processes(instance_urls)
    for process in processes:
        process.send_signal(signal.SIGUSR1)
    acks = [Path(folder) / f"ack-{process.pid}" for process in processes]

    def every_instance_took_it() -> None:
        taken = [ack.read_text() if ack.exists() else None for ack in acks]
        assert taken == [location] * len(acks), f"the platform instances record {taken}, not {location}"

    eventually(every_instance_took_it, timeout=ACK_SECONDS, interval=0.005)


MAP_FORMAT = 2  # what a map holds (2: the platform's tests too); a map of another format is made again
# What does not change which lines a scenario runs: how the specification is run and reported
NOT_IN_THE_MAP = ("support/runners", "support/report", "support/documentation", "support/defects")


def version(repo_root: Path) -> str:
    """What the map depends on: the committed trees of the platform, the features, their steps and the
    harness they call (not the runners and the reports), and the platform's tests it names (a test renamed or
    removed must not be asked to judge a mutant)."""
    listed = subprocess.run(
        ["git", "ls-tree", "HEAD", "app", "features", "steps", "environment.py", "support/", *TESTS_MAPPED],
        cwd=repo_root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    entries = [line.split() for line in listed.splitlines()]
    made = " ".join(f"{path}:{sha}" for _, _, sha, path in entries if path not in NOT_IN_THE_MAP)
    return f"map {MAP_FORMAT}: {made}"


def ensure_map(out: Path, repo_root: Path) -> Path:
    """The map of this version (``out/scenario-map.json``), made when there is none or it is of another
    version: the whole specification once (minutes), its progress shown."""
    path = out / "scenario-map.json"
    wanted = version(repo_root)
    if path.exists() and json.loads(path.read_text()).get("version") == wanted:
        return path
    folder = out / "coverage"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    print("mutation: making the map of which scenarios run each line of app/ (the whole specification once)")
    os.environ[FOLDER_VARIABLE] = str(folder)  # for the instances the stack starts
    stack = Stack({}, log_dir=out / "stack-logs-map", fork_instances=False, platform_app=COVERED_PLATFORM)
    try:
        stack.start()
        behave = [sys.executable, "-m", "behave", "--no-junit", "-f", "progress", "--tags", TAGS, "features"]
        done = subprocess.run(behave, env={**os.environ, **stack.env}, cwd=repo_root)
    finally:
        stack.stop()
        os.environ.pop(FOLDER_VARIABLE, None)
    if done.returncode != 0:  # it would count every mutant of a line it ran as killed
        raise SystemExit(
            "mutation: scenarios failed on the code without a mutant while the map was made (above): each would count"
            " every mutant it judges as killed; make them pass (or run again if one only failed this once)"
        )
    _record_tests(folder, repo_root)
    lines = lines_by_scenario(folder, repo_root)
    ScenarioMap.of(lines).write(path, wanted)
    runs = sum(len(by_line) for by_line in lines.values())
    print(f"mutation: map made: {runs} lines of {len(lines)} modules run, {path}")
    return path


def _record_tests(folder: Path, repo_root: Path) -> None:
    """The platform's own tests (``TESTS_MAPPED``) run once under coverage.py, each line recorded under the
    test function that ran it (``tests-lines``). A test that fails here, on the code without a mutant, stops the
    run: every mutant it judges would be counted killed by it."""
    settings = folder / "tests.coveragerc"
    settings.write_text(
        "[run]\ndynamic_context = test_function\nsource = app\nomit = */migrations/*\n"
        f"concurrency = thread,greenlet\ndata_file = {folder / 'tests-lines'}\n"
    )
    print(f"mutation: ... and which tests of {', '.join(TESTS_MAPPED)} run each line", flush=True)
    pytest = ["-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS_MAPPED]
    done = subprocess.run([sys.executable, "-m", "coverage", "run", f"--rcfile={settings}", *pytest], cwd=repo_root)
    if done.returncode != 0:
        raise SystemExit(
            "mutation: a test fails on the code without a mutant (above): it would count every mutant it judges as"
            " killed; make the tests pass, then run again"
        )


def lines_by_scenario(folder: Path, repo_root: Path) -> dict[str, dict[int, list[str]]]:
    """What the instances and the tests recorded in ``folder``: module -> line -> the contexts that ran it (a
    scenario's location, ``start-up``, or ``pytest:<file>::<test>``; a line run only while the tests were
    imported is left out)."""
    import coverage  # only where the map is made (make mutation's packages)

    combined: dict[str, dict[int, set[str]]] = {}
    recorded = [(data_file, False) for data_file in sorted(folder.glob("lines.*"))]
    recorded += [(data_file, True) for data_file in sorted(folder.glob("tests-lines*"))]
    for data_file, by_tests in recorded:
        data = coverage.CoverageData(basename=str(data_file))
        data.read()
        for measured in data.measured_files():
            module = str(Path(measured).resolve().relative_to(repo_root.resolve()))
            lines = combined.setdefault(module, {})
            for line, contexts in data.contexts_by_lineno(measured).items():
                named = {node_id_of(c, repo_root) for c in contexts} - {None} if by_tests else set(contexts)
                if named:
                    lines.setdefault(line, set()).update(named)
    return {m: {line: sorted(c) for line, c in sorted(lines.items())} for m, lines in sorted(combined.items())}


def node_id_of(context: str, repo_root: Path) -> str | None:
    """``pytest:tests/app/test_x.py::test_y`` for coverage.py's ``tests.app.test_x.test_y`` (a method:
    ``...::Class::test_y``); None for what ran outside any test."""
    parts = context.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        path = Path(*parts[:cut]).with_suffix(".py")
        if (repo_root / path).is_file():
            return f"{TEST}{path}::{'::'.join(parts[cut:])}"
    return None


@dataclass(frozen=True)
class Judges:
    """Who judges one mutant: the platform's ``tests`` that run its line (pytest node ids) first, then
    ``scenarios`` (their locations), every feature of the module (``whole_module``) or both; or nobody
    (``reason`` says why)."""

    scenarios: tuple[str, ...] = ()
    whole_module: bool = False
    reason: str = ""
    tests: tuple[str, ...] = ()


class ScenarioMap:
    """Module -> line -> the scenarios (and other contexts) that ran it, as ``ensure_map`` wrote it: each
    context's name once, the lines holding their numbers."""

    def __init__(self, contexts: list[str], modules: dict[str, dict[str, list[int]]]) -> None:
        self._contexts = contexts
        self._modules = modules

    @classmethod
    def read(cls, path: Path) -> ScenarioMap:
        written = json.loads(path.read_text())
        return cls(written["contexts"], written["modules"])

    @classmethod
    def of(cls, lines: dict[str, dict[int, list[str]]]) -> ScenarioMap:
        contexts = sorted({c for by_line in lines.values() for names in by_line.values() for c in names})
        number = {name: n for n, name in enumerate(contexts)}
        return cls(
            contexts,
            {
                m: {str(line): [number[c] for c in names] for line, names in by_line.items()}
                for m, by_line in lines.items()
            },
        )

    def write(self, path: Path, version: str) -> None:
        path.write_text(json.dumps({"version": version, "contexts": self._contexts, "modules": self._modules}))

    def ran(self, module: str) -> dict[int, list[str]]:
        return {
            int(line): [self._contexts[n] for n in numbers] for line, numbers in self._modules.get(module, {}).items()
        }

    def judges(
        self, module: str, source: str, diff: str, used_elsewhere: Callable[[str], bool] = lambda name: True
    ) -> Judges:
        """Who judges the mutant ``diff`` (git's, with no context lines) makes of ``module`` (``source``, as
        committed). ``used_elsewhere`` says whether another module of the platform names a name of this one
        (a constant it reads): when none does, a constant of the module is judged by where it is read."""
        tree = ast.parse(source)
        changed = changed_lines(diff)
        if not changed:
            return Judges(whole_module=True, reason="the mutated lines could not be read from the diff")
        ran = self.ran(module)
        scenarios: set[str] = set()
        tests: set[str] = set()
        unattributed = False
        for line in changed:
            revealing = revealed_by(tree, line, used_elsewhere)
            if revealing is None:
                return Judges(whole_module=True, reason=f"line {line} runs while the platform starts")
            for statement in revealing:
                for covered in range(statement.first, statement.last + 1):
                    contexts = ran.get(covered, [])
                    scenarios.update(c for c in contexts if ".feature:" in c)
                    tests.update(c.removeprefix(TEST) for c in contexts if c.startswith(TEST))
                    unattributed = unattributed or any(
                        ".feature:" not in c and not c.startswith(TEST) for c in contexts
                    )
        found = tuple(sorted(tests))
        if unattributed:  # the shared instances run it as they start, before every scenario: all of them may show it
            return Judges(
                scenarios=tuple(sorted(scenarios, key=_location_order)),
                whole_module=True,
                tests=found,
                reason="its lines run while the platform starts or between scenarios",
            )
        if scenarios:
            return Judges(scenarios=tuple(sorted(scenarios, key=_location_order)), tests=found)
        if found:
            return Judges(tests=found, reason=f"no scenario runs line {', '.join(map(str, changed))}: only tests do")
        return Judges(reason=f"no scenario or test runs line {', '.join(map(str, changed))} of {module}")


def revealed_by(tree: ast.Module, line: int, used_elsewhere: Callable[[str], bool]) -> list[Statement] | None:
    """The statements inside functions whose running can tell a change of ``line`` apart: its own, or, for a
    constant of the module (``NAME = ...`` at its top level), every statement that reads it, or reads a
    constant made from it. None when what runs at start-up may show it (a class's body, a function's defaults
    or decorators, a constant another module imports or one read at the top level other than by a constant)."""
    statement = statement_at(tree, line)
    if statement is None:
        return None
    if statement.runs_inside_a_function:
        return [statement]
    constant = _constant_at(tree, line)
    if constant is None:
        return None
    loads: dict[str, list[int]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            loads.setdefault(node.id, []).append(node.lineno)
    names, readers, seen = list(_assigned(constant)), [], {id(constant)}
    while names:
        name = names.pop()
        if used_elsewhere(name):
            return None
        for read_at in loads.get(name, []):
            reader = statement_at(tree, read_at)
            if reader is not None and reader.runs_inside_a_function:
                readers.append(reader)
                continue
            made_from_it = _constant_at(tree, read_at)
            if made_from_it is None:
                return None
            if id(made_from_it) not in seen:
                seen.add(id(made_from_it))
                names.extend(_assigned(made_from_it))
    return readers


def _constant_at(tree: ast.Module, line: int) -> ast.Assign | ast.AnnAssign | None:
    """The assignment of names at the module's top level whose lines hold ``line``."""
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.lineno <= line <= (node.end_lineno or node.lineno):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            return node if all(isinstance(t, ast.Name) for t in targets) else None
    return None


def _assigned(node: ast.Assign | ast.AnnAssign) -> list[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return [t.id for t in targets if isinstance(t, ast.Name)]


def names_used_elsewhere(module: str, repo_root: Path) -> Callable[[str], bool]:
    """Whether a name appears in any other module of app/ (read once)."""
    others = " ".join(
        path.read_text() for path in (repo_root / "app").rglob("*.py") if path.relative_to(repo_root) != Path(module)
    )
    return lambda name: re.search(rf"\b{re.escape(name)}\b", others) is not None


@dataclass(frozen=True)
class Statement:
    first: int  # the lines coverage may record for it: a simple statement's, or a compound one's header
    last: int
    runs_inside_a_function: bool


def changed_lines(diff: str) -> list[int]:
    """The lines of the committed file that a diff (``git diff -U0``) changes."""
    lines: list[int] = []
    for start, count in HUNK.findall(diff):
        lines.extend(range(int(start), int(start) + max(1, int(count or 1))))
    return lines


def statement_at(tree: ast.Module, line: int) -> Statement | None:
    """The innermost statement (or ``except`` clause) whose own lines hold ``line``: all of a simple
    statement's, the header of a compound one (its decorators, its condition, up to its body)."""
    found: Statement | None = None
    width = 0

    def visit(node: ast.AST, in_function: bool) -> None:
        nonlocal found, width
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.stmt | ast.excepthandler):
                first, last = _own_lines(child)
                if first <= line <= last and (found is None or last - first <= width):
                    found, width = Statement(first, last, inside), last - first
            visit(child, inside)

    visit(tree, False)
    return found


def _own_lines(node: ast.stmt | ast.excepthandler) -> tuple[int, int]:
    decorators = getattr(node, "decorator_list", [])
    first = min([node.lineno, *(d.lineno for d in decorators)])
    body = getattr(node, "body", None)
    if isinstance(body, list) and body:
        return first, max(node.lineno, body[0].lineno - 1)
    return first, node.end_lineno or node.lineno


def _location_order(location: str) -> tuple[str, int]:
    path, _, line = location.rpartition(":")
    return path, int(line) if line.isdigit() else 0
