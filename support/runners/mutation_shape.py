"""Whether two texts of a module make the same mutants at the same places, and a digest of what decides it.

cosmic-ray finds a mutant by its operator and its occurrence in the syntax tree, never by a name, a text or a
column: a session (or a verdict kept in the repository) made from one text holds for another of the same shape.
"""

from __future__ import annotations

import ast
import hashlib

IDENTIFIER_FIELDS = ("id", "attr", "arg", "name", "asname", "module")


MUTABLE_NODES = (ast.BinOp, ast.Compare, ast.BoolOp, ast.UnaryOp, ast.For, ast.AsyncFor, ast.ExceptHandler)


def same_mutants(old: str, new: str) -> bool:
    """Whether two texts of a module make the same mutants at the same places: their syntax trees are one
    once the module's imports are left out and every identifier, every text constant and every type
    annotation that holds nothing an operator changes is blanked. cosmic-ray finds a mutant by its operator and its occurrence in the tree, never
    by a name, a text or a column, and none of its operators in use changes a name, a text or a type
    (an annotation holding a number, a boolean or an operator is compared as it is)."""
    try:
        return _shape(old) == _shape(new)
    except SyntaxError:
        return False


def shape_digest(text: str) -> str:
    """A digest of the module's shape: equal for two texts exactly when ``same_mutants`` holds (SyntaxError
    when the text is not Python)."""
    return hashlib.sha256(_shape(text).encode()).hexdigest()


def _shape(text: str) -> str:
    tree = ast.parse(text)
    tree.body = [statement for statement in tree.body if not isinstance(statement, (ast.Import, ast.ImportFrom))]
    for node in ast.walk(tree):
        for field_name in ("annotation", "returns"):
            annotation = getattr(node, field_name, None)
            if isinstance(annotation, ast.expr) and not _holds_a_mutant(annotation):
                setattr(node, field_name, ast.Name("_"))
    for node in ast.walk(tree):
        for name in IDENTIFIER_FIELDS:
            if isinstance(getattr(node, name, None), str):
                setattr(node, name, "_")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = "_"
    return ast.dump(tree)


def _holds_a_mutant(tree: ast.AST) -> bool:
    """Whether an operator in use could change something inside (a number, a boolean, an operator)."""
    return any(
        (isinstance(node, MUTABLE_NODES) and not _a_union_of_types(node))
        or (isinstance(node, ast.Constant) and not isinstance(node.value, str) and node.value is not None)
        for node in ast.walk(tree)
    )


def _a_union_of_types(node: ast.AST) -> bool:
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr)
