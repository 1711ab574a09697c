"""The slip operators make the mutants they promise, and only where they may."""

from __future__ import annotations

import ast

import pytest

# cosmic-ray comes with the bench's packages (requirements-bench.lock), which make mutation installs and make test
# does not: these tests run wherever the mutation runner can
pytest.importorskip("cosmic_ray", reason="cosmic-ray is installed with the bench's packages (make mutation)")
from cosmic_ray.mutating import mutate_code

from support.runners.slips import OPERATORS, install


def _cases():
    for name, operator in OPERATORS.items():
        for example in operator.examples():
            yield pytest.param(operator, example, id=f"{name}-{example.pre_mutation_code[:30]}-{example.occurrence}")


@pytest.mark.parametrize(("operator", "example"), list(_cases()))
def test_each_example_mutates_as_it_says(operator, example):
    mutated = mutate_code(example.pre_mutation_code, operator(), example.occurrence)
    assert mutated == example.post_mutation_code
    ast.parse(mutated)


@pytest.mark.parametrize(
    ("operator", "code"),
    [
        ("DropElement", "x = [a for a in b]"),
        ("DropElement", "x = (a)"),
        ("DropElement", "x = [a]"),
        ("DropElement", "f(a, b)"),
        ("DropKeywordArgument", "f(a, b)"),
        ("SwapArguments", "f(a, a)"),
        ("SwapArguments", "f(a)"),
        ("SwapArguments", "x = max(a, b)"),
        ("DropRowLock", "q = select(t).where(c)"),
        ("DropRowLock", 'sql = "SELECT 1"'),
        ("DropField", "class A:\n    x: int\n"),
        ("DropField", "def f():\n    x: int = 1\n    y: int = 2\n"),
        ("DropField", "class A(TypedDict):\n    x: int\n    y: int\n"),
        ("DropField", "class A(Protocol):\n    x: int\n    y: int\n"),
    ],
)
def test_nothing_is_mutated_where_the_slip_cannot_be_made(operator, code):
    assert mutate_code(code, OPERATORS[operator](), 0) is None


def test_cosmic_ray_knows_the_slips_once_installed():
    install()
    from cosmic_ray.plugins import get_operator, operator_names

    assert {f"slips/{name}" for name in OPERATORS} <= set(operator_names())
    assert get_operator("slips/DropRowLock") is OPERATORS["DropRowLock"]


@pytest.mark.parametrize(
    ("code", "mutants"),
    [
        (
            "try:\n    f()\nexcept (requests.RequestException, ValueError) as exc:\n    g()\n",
            [
                "try:\n    f()\nexcept (requests.CosmicRayTestingException, ValueError) as exc:\n    g()\n",
                "try:\n    f()\nexcept (requests.RequestException, CosmicRayTestingException) as exc:\n    g()\n",
            ],
        ),
        (
            "try:\n    f()\nexcept requests.Timeout:\n    g()\n",
            ["try:\n    f()\nexcept requests.CosmicRayTestingException:\n    g()\n"],
        ),
        (
            "try:\n    f()\nexcept (KeyError):\n    g()\n",
            ["try:\n    f()\nexcept (CosmicRayTestingException):\n    g()\n"],
        ),
        (
            "try:\n    f()\nexcept KeyError as e:\n    g()\n",
            ["try:\n    f()\nexcept CosmicRayTestingException as e:\n    g()\n"],
        ),
    ],
)
def test_a_handler_is_made_to_miss_each_exception_it_names_dotted_or_not(code, mutants):
    install()  # mends cosmic-ray's ExceptionReplacer, which took a dotted name's dot or failed on one in a tuple
    from cosmic_ray.operators.exception_replacer import ExceptionReplacer

    made = [mutate_code(code, ExceptionReplacer(), occurrence) for occurrence in range(len(mutants) + 1)]
    assert made == [*mutants, None]
    for mutant in mutants:
        ast.parse(mutant)
