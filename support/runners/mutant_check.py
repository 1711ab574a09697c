"""One mutant judged by the specification: cosmic-ray's test command during ``make mutation``.

    python -m support.runners.mutant_check app/domain/money.py

Run with the shared stack's addresses in the environment (the mutation runner gives them). The mutated
file is already on disk. First the tests named for the module and the platform's tests that run the changed
line (the map has them too); then both platform instances are restarted so they run the mutant, and behave
runs the scenarios that run the changed line (``SCENARIO_MAP``: ``support.runners.scenario_coverage``;
without a map, or for a line run while the platform starts, the features that exercise the module); last,
when nothing has told it apart, the type checker as ``make lint`` runs it (a call that no longer fits its
signature, a type alias gone wrong), then every test of tests/app (those that drive the platform over HTTP on
a stack of their own run lines the map cannot attribute). Each stops at the first failure. Exit 0: the
mutant survived all of them; any other code: killed (a check, test or scenario failed, or the platform would
not start).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from support.runners.mutation_scope import FEATURES_FOR, TESTS_FOR, WHOLE_SPECIFICATION
from support.runners.scenario_coverage import MAP_VARIABLE, TAGS, Judges, ScenarioMap, names_used_elsewhere

INSTANCES = ("platform", "platform-2")


PYTEST_SECONDS = 60  # the module's tests take seconds; a mutant that hangs them waits no longer
MAPPED_TESTS_SECONDS = 240  # the tests that run a hot line may be many (tests/app takes about a minute)
# Before a mutant is called a survivor: every test of the platform, as make test runs them. Many drive the
# platform over HTTP on a stack of their own, whose lines the map cannot attribute to them.
EVERY_PLATFORM_TEST = ("tests/app",)
EVERY_TEST_SECONDS = 420
TYPE_CHECK_SECONDS = 300  # make lint's mypy; its cache in the tree makes every check after the first incremental


def restart_platform(control_url: str) -> str | None:
    """Restarts both instances at once; what went wrong, or None when both serve again."""

    def restart(instance: str) -> str | None:
        answer = requests.post(f"{control_url}/{instance}/restart", timeout=120)
        return None if answer.ok else f"{instance} would not start with the mutant: {answer.text[:500]}"

    with ThreadPoolExecutor(len(INSTANCES)) as pool:
        problems = [problem for problem in pool.map(restart, INSTANCES) if problem]
    return problems[0] if problems else None


def judged_by(module: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """The scenarios (or features) that judge the mutant on disk, none when no scenario runs its line; the
    platform's tests that run its line; and what to say of it."""
    whole = FEATURES_FOR.get(module, WHOLE_SPECIFICATION)
    if not os.environ.get(MAP_VARIABLE):
        return whole, (), f"judged by {', '.join(whole)}"
    judges = _map_judges(module)
    tests = f" and the {len(judges.tests)} tests" if judges.tests else ""
    if judges.whole_module and judges.scenarios:
        also = tuple(s for s in judges.scenarios if not s.startswith(tuple(f"{w}{end}" for w in whole for end in "/:")))
        return (
            (*whole, *also),
            judges.tests,
            f"judged by every feature of the module and the {len(judges.scenarios)} scenarios{tests} that run its"
            f" line: {judges.reason}",
        )
    if judges.scenarios:
        return (
            judges.scenarios,
            judges.tests,
            f"judged by the {len(judges.scenarios)} scenarios{tests} that run its line",
        )
    if judges.whole_module:
        return whole, judges.tests, f"judged by every feature of the module{tests}: {judges.reason}"
    if judges.tests:
        return (), judges.tests, f"judged by the {len(judges.tests)} tests that run its line ({judges.reason})"
    return (), (), f"judged by no scenario: {judges.reason}"


def _map_judges(module: str) -> Judges:
    """Who the map says judges the mutant on disk (the working copy against the last commit)."""
    diff = subprocess.run(["git", "diff", "-U0", "--", module], capture_output=True, text=True, check=True).stdout
    committed = subprocess.run(["git", "show", f"HEAD:{module}"], capture_output=True, text=True, check=True).stdout
    elsewhere = names_used_elsewhere(module, Path.cwd())
    return ScenarioMap.read(Path(os.environ[MAP_VARIABLE])).judges(module, committed, diff, elsewhere)


def killed_by_tests(tests: tuple[str, ...], timeout: float) -> int:
    """Runs the tests (files or node ids) until the first failure; the exit code (0: all passed), having
    said what killed the mutant."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:  # a mutant that keeps a test waiting for ever is caught by it
        print(f"killed by pytest: its tests did not end within {timeout:.0f} s")
        return 4
    if done.returncode != 0:
        print(f"killed by pytest:\n{done.stdout[-3000:]}")
    return done.returncode


def killed_by_the_type_checker(timeout: float) -> int:
    """mypy as ``make lint`` runs it (its files and settings from pyproject.toml); the exit code (0: no error),
    having said what it found."""
    try:
        done = subprocess.run([sys.executable, "-m", "mypy"], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"not judged by mypy: it did not end within {timeout:.0f} s")
        return 0
    if done.returncode != 0:
        print(f"killed by mypy (make lint):\n{done.stdout[-3000:]}")
    return done.returncode


class Stages:
    """How long each stage of the check took, said with the verdict (where a mutant's minutes go)."""

    def __init__(self) -> None:
        self._took: list[str] = []
        self._began = time.monotonic()

    def done(self, stage: str) -> None:
        now = time.monotonic()
        self._took.append(f"{stage} {now - self._began:.0f} s")
        self._began = now

    def __str__(self) -> str:
        return f"took: {', '.join(self._took)}"


def main(argv: list[str]) -> int:
    module = argv[0]
    stages = Stages()
    code = _judged(module, stages)
    print(stages)  # last but one: the session keeps the output's end
    return code


def _judged(module: str, stages: Stages) -> int:
    if TESTS_FOR.get(module):
        code = killed_by_tests(TESTS_FOR[module], PYTEST_SECONDS)
        stages.done("the module's tests")
        if code != 0:
            return code
    features, tests, said = judged_by(module)
    if tests:
        code = killed_by_tests(tests, MAPPED_TESTS_SECONDS)
        stages.done(f"{len(tests)} mapped tests")
        if code != 0:
            print(said)
            return code
    code = 0
    if features:
        problem = restart_platform(os.environ["STACK_CONTROL_URL"])
        stages.done("restart")
        if problem:
            print(f"killed: {problem}")
            return 3
        command = [sys.executable, "-m", "behave", "--stop", "--no-junit", "-f", "progress", "--tags", TAGS, *features]
        done = subprocess.run(command, capture_output=True, text=True)
        stages.done(f"{len(features)} scenarios or features")
        print(done.stdout[-4000:], done.stderr[-2000:], sep="\n")
        code = done.returncode
    if code == 0:  # nothing above told it apart: what make test runs besides, the type checker and the tests
        code = killed_by_the_type_checker(TYPE_CHECK_SECONDS)
        stages.done("mypy")
        said = f"{said}; then mypy"
    if code == 0:
        code = killed_by_tests(EVERY_PLATFORM_TEST, EVERY_TEST_SECONDS)
        stages.done("every test of tests/app")
        said = f"{said}; then every test of {', '.join(EVERY_PLATFORM_TEST)}"
    print(said)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
