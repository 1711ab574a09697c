"""The tool calls a language model asks for, read strictly: each is run or refused, never a crash.

Pure logic, no I/O. Whatever the model sends (any JSON value, any text, any
nesting) comes out of ``read_calls`` as ``ToolCall``s, each with a usable id
(the model's, or one made here when it gave none, a bad one or a repeated
one), a name safe to show and store, and either arguments that keep their
tool's schema or the ``ToolRefused`` that names what is wrong. What a
``tool_executing`` event shows of the arguments (``echo``) is strict JSON
(RFC 8259: no NaN or Infinity, no lone surrogates) and bounded in size.

``TOOLS`` is the one place a tool's arguments and right are written: the
definitions the model is sent are made from it (``definitions``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain.errors import DomainError
from app.domain.roles import Permission, Role, role_allows
from app.domain.text_rules import escaped, name_problem

ARGUMENT_CHARACTERS = 8_000  # the arguments' JSON text; the tools take a few short names
ARGUMENT_DEPTH = 8  # nesting of the arguments' JSON: the deepest schema is two
SHOWN_NAME = 80  # characters of a tool's (or argument's) name shown or stored
ECHO_CHARACTERS = 1_000  # characters of text an echo of the arguments may hold in all
CALL_ID = re.compile(r"[A-Za-z0-9_.:\-]{1,64}")


class ToolRefused(DomainError):
    """The platform refused a call the model asked for: unknown tool, bad arguments, or not the asker's right."""

    code = "tool_refused"


@dataclass(frozen=True, slots=True)
class Argument:
    """One argument of a tool: a name (one line of text) or a list of topics."""

    kind: str  # "name" or "topics"
    description: str
    required: bool = True


@dataclass(frozen=True, slots=True)
class ToolSchema:
    name: str
    description: str
    does: str  # what it does, in the words a refusal uses
    right: Permission | None  # None: the rights of the tools it runs (research)
    arguments: Mapping[str, Argument] = field(default_factory=dict)
    writes: bool = False


RESEARCH_TOPICS: Mapping[str, str] = {
    "pipeline": "open_pipeline_summary",
    "overdue": "overdue_invoices",
    "revenue": "revenue_by_month",
}

TOOLS: Mapping[str, ToolSchema] = {
    schema.name: schema
    for schema in (
        ToolSchema(
            name="open_pipeline_summary",
            description="Total and count of the company's open deals, per currency.",
            does="read the open pipeline",
            right=Permission.READ_SALES,
        ),
        ToolSchema(
            name="overdue_invoices",
            description="Invoices past their due date that are not fully paid.",
            does="read overdue invoices",
            right=Permission.READ_BILLING,
        ),
        ToolSchema(
            name="revenue_by_month",
            description="Payments received, per month and currency.",
            does="read revenue",
            right=Permission.READ_BILLING,
        ),
        ToolSchema(
            name="client_lookup",
            description="Find clients by name, with their deals and invoiced amount.",
            does="look up clients",
            right=Permission.READ_SALES,
            arguments={"name": Argument("name", "The client's name, or the start of it.")},
        ),
        ToolSchema(
            name="create_follow_up_task",
            description="Create a follow-up task on a client's latest delivery project.",
            does="create follow-up tasks",
            right=Permission.WRITE_SALES,
            arguments={
                "title": Argument("name", "What the task is."),
                "client": Argument("name", "The client's name, exactly."),
            },
            writes=True,
        ),
        ToolSchema(
            name="research",
            description="Look up several topics at once: pipeline, overdue, revenue (none listed: all of them).",
            does="research",
            right=None,
            arguments={"topics": Argument("topics", "Some of pipeline, overdue, revenue.", required=False)},
        ),
    )
}


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One call as the platform will run it (``refusal`` None) or refuse it."""

    id: str
    name: str  # escaped and cut to SHOWN_NAME: safe to show, log and store
    arguments: Mapping[str, Any]  # as the tool's schema reads them; empty when refused
    echo: Any  # what the executing event shows of the arguments: strict JSON, bounded
    refusal: ToolRefused | None = None

    @property
    def research(self) -> tuple[tuple[str, str], ...]:
        """Research's topics, each with the tool that looks it up."""
        return tuple((topic, RESEARCH_TOPICS[topic]) for topic in self.arguments["topics"])

    @property
    def runs(self) -> tuple[str, ...]:
        """The tools this call runs: itself, or research's topics'."""
        if self.name == "research":
            return tuple(tool for _, tool in self.research)
        return (self.name,)

    @property
    def writes(self) -> bool:
        return self.refusal is None and TOOLS[self.name].writes


def refusal_for(role: Role, call: ToolCall) -> ToolRefused | None:
    """Why ``role`` may not make ``call`` (the first tool it runs that the role may not use), or None."""
    for tool in call.runs:
        schema = TOOLS[tool]
        if schema.right is not None and not role_allows(role, schema.right):
            article = "an" if role.value[0] in "aeiou" else "a"
            return ToolRefused(
                f"{article} {role.value} may not {schema.does}, so the assistant may not do it for you", field="tool"
            )
    return None


def read_calls(raw: object, new_id: Callable[[], str]) -> list[ToolCall]:
    """The calls of one model turn (its ``tool_calls``), each readable or refused; never raises.

    ``new_id`` makes an id for a call whose own is missing, malformed or already used in the turn.
    """
    items = raw if isinstance(raw, list) else [] if raw is None else [raw]
    seen: set[str] = set()
    calls = []
    for item in items:
        call_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(call_id, str) or not CALL_ID.fullmatch(call_id) or call_id in seen:
            call_id = new_id()
        seen.add(call_id)
        calls.append(_read_call(call_id, item))
    return calls


def _read_call(call_id: str, item: object) -> ToolCall:
    function = item.get("function") if isinstance(item, dict) else None
    if not isinstance(function, dict):
        return _refused(call_id, "?", {}, "the model asked for something that is not a tool call", "tool")
    name = function.get("name")
    shown = escaped(name, limit=SHOWN_NAME) if isinstance(name, str) else "?"
    if not isinstance(name, str) or name not in TOOLS:
        return _refused(call_id, shown, {}, f"there is no tool called '{shown}'", "tool")
    try:
        arguments = _arguments_of(name, function.get("arguments"))
    except _Refused as refused:
        return ToolCall(call_id, name, {}, _Echo().of(refused.value), refused.refusal)
    return ToolCall(call_id, name, arguments, _Echo().of(arguments))


class _Refused(Exception):
    """A refusal on its way out of the argument checks, with the offending value (for the echo)."""

    def __init__(self, message: str, field_name: str, value: Any) -> None:
        super().__init__(message)
        self.refusal = ToolRefused(message, field=field_name)
        self.value = value


def _refused(call_id: str, name: str, value: Any, message: str, field_name: str) -> ToolCall:
    return ToolCall(call_id, name, {}, _Echo().of(value), ToolRefused(message, field=field_name))


def _arguments_of(tool: str, raw: object) -> dict[str, Any]:
    """The arguments as ``tool``'s schema reads them. Raises _Refused naming what is wrong."""
    parsed = parse_json(raw, tool) if isinstance(raw, str) else {} if raw is None else raw
    if not isinstance(parsed, dict):
        raise _Refused(f"the arguments of {tool} are not a JSON object", "arguments", parsed)
    if _depth(parsed) > ARGUMENT_DEPTH:
        raise _Refused(f"the arguments of {tool} nest deeper than {ARGUMENT_DEPTH} levels", "arguments", parsed)
    schema = TOOLS[tool]
    for key in parsed:
        if key not in schema.arguments:
            shown = escaped(str(key), limit=SHOWN_NAME)
            named = shown if shown and shown == key else "arguments"  # a name that cannot be shown as it is
            raise _Refused(f"{tool} takes no argument '{shown}'", named, parsed)
    arguments: dict[str, Any] = {}
    for key, rule in schema.arguments.items():
        if key not in parsed:
            if rule.required:
                raise _Refused(f"{tool} needs the argument '{key}'", key, parsed)
            continue
        arguments[key] = _checked(tool, key, rule, parsed[key], parsed)
    if tool == "research":
        arguments["topics"] = arguments.get("topics") or list(RESEARCH_TOPICS)  # none listed: every topic
    return arguments


def _checked(tool: str, key: str, rule: Argument, value: Any, parsed: Any) -> Any:
    if rule.kind == "name":
        problem = name_problem(value)
        if problem is not None:
            raise _Refused(f"{key} of {tool} {problem}", key, parsed)
        return value
    topics = sorted(RESEARCH_TOPICS)
    if not isinstance(value, list) or not all(isinstance(t, str) and t in RESEARCH_TOPICS for t in value):
        raise _Refused(f"{key} must list some of {', '.join(topics)}", key, parsed)
    return list(dict.fromkeys(value))  # each topic once, in the order asked


def parse_json(text: str, tool: str) -> Any:
    """``text`` read as strict JSON (no NaN, Infinity or numbers past a float), bounded in size and nesting.

    Raises:
        _Refused: naming the arguments, with the reason (too long, too deep, not JSON).
    """
    if len(text) > ARGUMENT_CHARACTERS:
        raise _Refused(f"the arguments of {tool} are longer than {ARGUMENT_CHARACTERS} characters", "arguments", {})
    if text.count("[") + text.count("{") > ARGUMENT_DEPTH and _text_depth(text) > ARGUMENT_DEPTH:
        raise _Refused(f"the arguments of {tool} nest deeper than {ARGUMENT_DEPTH} levels", "arguments", {})
    try:  # the nesting is bounded above, so the parser never nests deep enough to raise RecursionError
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except ValueError:
        raise _Refused(f"the arguments of {tool} are not JSON", "arguments", {}) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is past what a number may be")
    return number


def _text_depth(text: str) -> int:
    """How deep the JSON text nests (brackets outside strings), without parsing it."""
    depth = deepest = 0
    in_string = escaping = False
    for ch in text:
        if in_string:
            if escaping:
                escaping = False
            elif ch == "\\":
                escaping = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _depth(value: Any, limit: int = ARGUMENT_DEPTH + 1) -> int:
    """How deep a parsed value nests, counted no further than ``limit``."""
    if limit <= 0 or not isinstance(value, (dict, list)):
        return 0
    children = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(child, limit - 1) for child in children), default=0)


class _Echo:
    """What may be shown of a value: strict JSON, at most ECHO_CHARACTERS of text and four levels deep."""

    def __init__(self) -> None:
        self.budget = ECHO_CHARACTERS

    def of(self, value: Any, depth: int = 0) -> Any:
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value if abs(value) <= 2**53 else self.text(str(value))
        if isinstance(value, float):
            return value if math.isfinite(value) else self.text(str(value))
        if isinstance(value, str):
            return self.text(value)
        if depth >= 4 or self.budget <= 0:
            return "…"
        if isinstance(value, dict):
            return {self.text(str(k), SHOWN_NAME): self.of(v, depth + 1) for k, v in list(value.items())[:20]}
        if isinstance(value, list):
            return [self.of(v, depth + 1) for v in value[:20]]
        return self.text(repr(value))

    def text(self, value: str, limit: int = 200) -> str:
        shown = escaped(value, limit=max(0, min(limit, self.budget)))
        self.budget -= len(shown)
        return shown + ("…" if len(value) > len(shown) else "")


def definitions() -> list[dict[str, Any]]:
    """The tools as the model is told of them (OpenAI's function definitions), from ``TOOLS``."""
    return [
        {
            "type": "function",
            "function": {
                "name": schema.name,
                "description": schema.description,
                "parameters": {
                    "type": "object",
                    "properties": {key: _json_schema(rule) for key, rule in schema.arguments.items()},
                    "required": [key for key, rule in schema.arguments.items() if rule.required],
                    "additionalProperties": False,
                },
            },
        }
        for schema in TOOLS.values()
    ]


def _json_schema(rule: Argument) -> dict[str, Any]:
    if rule.kind == "name":
        return {"type": "string", "minLength": 1, "maxLength": 200, "description": rule.description}
    return {
        "type": "array",
        "items": {"type": "string", "enum": sorted(RESEARCH_TOPICS)},
        "description": rule.description,
    }


def dumps_strict(value: Any) -> str:
    """``value`` as RFC 8259 JSON text. Raises ValueError for NaN or Infinity (never sent)."""
    return json.dumps(value, allow_nan=False)
