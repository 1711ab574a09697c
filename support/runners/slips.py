"""Mutation operators that model the slips people make, beside cosmic-ray's own (which change an operator, a
number or a condition): an element left out of a literal, a keyword argument forgotten, a row lock dropped, two
arguments passed the wrong way round, a field left out of a model.

They are cosmic-ray operators (parso trees, as its own are) under the provider ``slips``; ``install`` adds the
provider to cosmic-ray's plugins in this process (``support.runners.cosmic_ray_with_slips`` runs cosmic-ray so).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from cosmic_ray.operators.operator import Example, Operator
from parso.python.tree import Operator as Punctuation
from parso.tree import BaseNode, Leaf, NodeOrLeaf

Position = tuple[tuple[int, int], tuple[int, int]]

OPENERS = {"(", "[", "{"}
ORDER_BLIND = frozenset({"max", "min"})  # calls whose positional arguments may come in any order
NOT_AT_RUN_TIME = frozenset({"TypedDict", "Protocol", "NamedTuple"})  # classes whose fields only a type checker reads
ROW_LOCK = re.compile(r"\s+FOR (?:NO KEY )?UPDATE(?: OF \w+)?(?: SKIP LOCKED| NOWAIT)?", re.IGNORECASE)


def _is(node: NodeOrLeaf, text: str) -> bool:
    return isinstance(node, Punctuation) and node.value == text


def _groups(children: list[NodeOrLeaf]) -> list[list[NodeOrLeaf]]:
    """The children between commas, each group one element (``key: value`` is one group of three)."""
    groups: list[list[NodeOrLeaf]] = [[]]
    for child in children:
        if _is(child, ","):
            groups.append([])
        else:
            groups[-1].append(child)
    return [group for group in groups if group]


def _span(group: list[NodeOrLeaf]) -> Position:
    return (group[0].start_pos, group[-1].end_pos)


def _without(children: list[NodeOrLeaf], group: list[NodeOrLeaf]) -> list[NodeOrLeaf]:
    """``children`` with ``group`` and one comma beside it left out (the one after it, or the one before the last)."""
    first, last = children.index(group[0]), children.index(group[-1])
    if last + 1 < len(children) and _is(children[last + 1], ","):
        kept = children[:first] + children[last + 2 :]
    elif first > 0 and _is(children[first - 1], ","):
        kept = children[: first - 1] + children[last + 1 :]
    else:
        kept = children[:first] + children[last + 1 :]
    if kept and first == 0:  # the element after the one left out takes its place: no space after the bracket
        kept[0] = _unspaced(kept[0])
    return kept


def _unspaced(node: NodeOrLeaf) -> NodeOrLeaf:
    leaf = node.get_first_leaf()
    if leaf is not None and leaf.prefix.strip() == "":
        leaf.prefix = ""
    return node


class DropElement(Operator):
    """An element left out of a tuple, list, set or dict literal of two or more (not a comprehension)."""

    def mutation_positions(self, node: NodeOrLeaf) -> Iterator[Position]:
        for group in self._elements(node):
            yield _span(group)

    def mutate(self, node: Any, index: int) -> Any:
        node.children = _without(node.children, self._elements(node)[index])
        return node

    @staticmethod
    def _elements(node: NodeOrLeaf) -> list[list[NodeOrLeaf]]:
        if not isinstance(node, BaseNode) or node.type not in ("testlist_comp", "dictorsetmaker"):
            return []
        opener = node.parent.children[0] if node.parent is not None and node.parent.type == "atom" else None
        if not isinstance(opener, Leaf) or opener.value not in OPENERS:
            return []
        if any(child.type in ("comp_for", "sync_comp_for") for child in node.children):
            return []
        groups = _groups(node.children)
        return groups if len(groups) >= 2 else []

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (
            Example("x = (a, b, c)", "x = (b, c)"),
            Example("x = [a, b, c]", "x = [a, c]", occurrence=1),
            Example("x = {a, b}", "x = {a}", occurrence=1),
            Example("x = {'a': 1, 'b': 2}", "x = {'b': 2}"),
            Example("x = (a, b,)", "x = (a,)", occurrence=1),
        )


def _keywords(children: list[NodeOrLeaf]) -> list[list[NodeOrLeaf]]:
    return [
        group
        for group in _groups(children)
        if len(group) == 1 and group[0].type == "argument" and _is(group[0].children[1], "=")  # type: ignore[attr-defined]
    ]


class DropKeywordArgument(Operator):
    """A keyword argument left out of a call (``f(a, timeout=5)`` → ``f(a)``): a default taken where a value was
    meant."""

    def mutation_positions(self, node: NodeOrLeaf) -> Iterator[Position]:
        for group in self._arguments(node):
            yield _span(group)

    def mutate(self, node: Any, index: int) -> Any:
        group = self._arguments(node)[index]
        if node.type == "trailer":
            node.children = [node.children[0], node.children[-1]]
        else:
            node.children = _without(node.children, group)
        return node

    @staticmethod
    def _arguments(node: NodeOrLeaf) -> list[list[NodeOrLeaf]]:
        if isinstance(node, BaseNode) and node.type == "arglist":
            return _keywords(node.children)
        if (
            isinstance(node, BaseNode)
            and node.type == "trailer"
            and len(node.children) == 3
            and _is(node.children[0], "(")
        ):
            return _keywords([node.children[1]])
        return []

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (
            Example("f(a, timeout=5)", "f(a)"),
            Example("f(a=1, b=2)", "f(b=2)"),
            Example("f(a=1, b=2)", "f(a=1)", occurrence=1),
            Example("f(key=1)", "f()"),
        )


class SwapArguments(Operator):
    """Two positional arguments side by side passed the wrong way round (``move(source, target)`` →
    ``move(target, source)``); not of ``max`` or ``min``, which take theirs in any order."""

    def mutation_positions(self, node: NodeOrLeaf) -> Iterator[Position]:
        for first, second in self._pairs(node):
            yield (first.start_pos, second.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        first, second = self._pairs(node)[index]
        i, j = node.children.index(first), node.children.index(second)
        first_prefix, second_prefix = first.get_first_leaf().prefix, second.get_first_leaf().prefix
        node.children[i], node.children[j] = second, first
        second.get_first_leaf().prefix, first.get_first_leaf().prefix = first_prefix, second_prefix
        return node

    @staticmethod
    def _pairs(node: NodeOrLeaf) -> list[tuple[NodeOrLeaf, NodeOrLeaf]]:
        if not isinstance(node, BaseNode) or node.type != "arglist" or _callee(node) in ORDER_BLIND:
            return []
        leading = []  # the positional arguments come first: up to the first keyword or star
        for group in _groups(node.children):
            if len(group) != 1 or group[0].type == "argument":
                break
            leading.append(group[0])
        return [(a, b) for a, b in pairwise(leading) if a.get_code().strip() != b.get_code().strip()]

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (
            Example("move(source, target)", "move(target, source)"),
            Example("f(a, b, c)", "f(a, c, b)", occurrence=1),
            Example("f(a, b, key=1)", "f(b, a, key=1)"),
        )


def _callee(arguments: BaseNode) -> str:
    """The name just before a call's parentheses (``max`` of ``max(a, b)``, ``lock`` of ``self.lock(a, b)``)."""
    trailer = arguments.parent
    if trailer is None or trailer.type != "trailer":
        return ""
    before = trailer.get_previous_sibling()
    return before.get_code().strip().lstrip(".") if before is not None else ""


class DropRowLock(Operator):
    """A row lock left out: ``.with_for_update(...)`` of a SQLAlchemy query, or ``FOR UPDATE`` in SQL text."""

    def mutation_positions(self, node: NodeOrLeaf) -> Iterator[Position]:
        if self._call_at(node) is not None or self._in_text(node):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        at = self._call_at(node)
        if at is not None:
            node.children = node.children[:at] + node.children[at + 2 :]
        else:
            node.value = ROW_LOCK.sub("", node.value, count=1)
        return node

    @staticmethod
    def _call_at(node: NodeOrLeaf) -> int | None:
        if not isinstance(node, BaseNode) or node.type not in ("atom_expr", "power"):
            return None
        children = node.children
        for at, child in enumerate(children[:-1]):
            if (
                child.type == "trailer"
                and child.get_code().strip() == ".with_for_update"
                and children[at + 1].type == "trailer"
                and _is(children[at + 1].children[0], "(")  # type: ignore[attr-defined]
            ):
                return at
        return None

    @staticmethod
    def _in_text(node: NodeOrLeaf) -> bool:
        return (
            isinstance(node, Leaf) and node.type in ("string", "fstring_string") and bool(ROW_LOCK.search(node.value))
        )

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (
            Example("q = select(t).where(c).with_for_update()", "q = select(t).where(c)"),
            Example("q = select(t).with_for_update(nowait=True).limit(1)", "q = select(t).limit(1)"),
            Example(
                'sql = "SELECT * FROM invoices WHERE id = :id FOR UPDATE"',
                'sql = "SELECT * FROM invoices WHERE id = :id"',
            ),
        )


class DropField(Operator):
    """A field left out of a class that declares two or more (a response model showing less, a dataclass holding
    less): an annotated attribute of the class body; not of a TypedDict, Protocol or NamedTuple, whose fields only a
    type checker reads."""

    def mutation_positions(self, node: NodeOrLeaf) -> Iterator[Position]:
        for statement in self._fields(node):
            yield (statement.start_pos, statement.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        node.children.remove(self._fields(node)[index])
        return node

    @staticmethod
    def _fields(node: NodeOrLeaf) -> list[NodeOrLeaf]:
        if (
            not isinstance(node, BaseNode)
            or node.type != "suite"
            or node.parent is None
            or node.parent.type != "classdef"
        ):
            return []
        bases = node.parent.get_super_arglist()
        if bases is not None and any(name in bases.get_code() for name in NOT_AT_RUN_TIME):
            return []
        fields = [
            child
            for child in node.children
            if child.type == "simple_stmt"
            and child.children[0].type == "expr_stmt"  # type: ignore[attr-defined]
            and child.children[0].children[1].type == "annassign"  # type: ignore[attr-defined]
        ]
        return fields if len(fields) >= 2 else []

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (
            Example("class A:\n    x: int\n    y: str = 'a'\n", "class A:\n    y: str = 'a'\n"),
            Example("class A:\n    x: int\n    y: str = 'a'\n", "class A:\n    x: int\n", occurrence=1),
        )


OPERATORS: dict[str, type[Operator]] = {
    operator.__name__: operator
    for operator in (DropElement, DropKeywordArgument, SwapArguments, DropRowLock, DropField)
}


class SlipsProvider:
    """cosmic-ray's view of these operators: their names, and each class by its name."""

    def __iter__(self) -> Iterator[str]:
        return iter(OPERATORS)

    def __getitem__(self, name: str) -> type[Operator]:
        return OPERATORS[name]


def handled_names(node: BaseNode) -> tuple[Leaf, ...]:
    """The names an ``except`` clause catches, one leaf per exception type, each the one to rename so the handler
    misses it: a plain name, or a dotted name's last part (``requests.RequestException``). cosmic-ray 8.x's
    ``ExceptionReplacer`` takes a dotted name's dot for it, or fails on one in a tuple."""
    caught = node.children[1]
    if caught.type == "atom":  # (A, b.B)
        inner = caught.children[1]
        types = inner.children[::2] if inner.type == "testlist_comp" else [inner]
    else:
        types = [caught]
    return tuple(kind.get_last_leaf() for kind in types)


def install() -> None:
    """Adds the provider ``slips`` to cosmic-ray's plugins in this process, and mends its ``ExceptionReplacer``
    (``handled_names``; a plain name's position is unchanged, so the sessions made before keep their mutants)."""
    from cosmic_ray import plugins
    from cosmic_ray.operators.exception_replacer import ExceptionReplacer

    plugins.OPERATOR_PROVIDERS.setdefault("slips", SlipsProvider())
    ExceptionReplacer._name_nodes = staticmethod(handled_names)
