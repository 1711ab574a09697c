"""The pinned contract: every answer and every frame the specification receives is checked against it.

``docs/contract/openapi.json`` is the platform's OpenAPI document and
``docs/contract/assistant-messages.schema.json`` the JSON Schema of what the
assistant's socket sends, both committed: a change to either is a reviewed
diff (additive within a version). The harness validates against these files,
never against what the running platform says of itself; a test
(``tests/app/api/test_pinned_contract.py``) fails when the two drift apart.

    .venv/bin/python -m support.contract.pinned --write   # the running platform's document, pinned again
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from functools import cache
from typing import Any

import jsonschema_rs

from support.clients.paths import API_PREFIX
from support.report.layout import REPO_ROOT

OPENAPI = REPO_ROOT / "docs" / "contract" / "openapi.json"
MESSAGES = REPO_ROOT / "docs" / "contract" / "assistant-messages.schema.json"
SHOWN_ERRORS = 3


@cache
def _document() -> dict[str, Any]:
    return json.loads(OPENAPI.read_text())


@cache
def _operations() -> list[tuple[re.Pattern[str], str, int]]:
    """Each path template as a pattern, most specific first (fewest parameters)."""
    templates = [(_pattern(t), t, t.count("{")) for t in _document()["paths"]]
    return sorted(templates, key=lambda item: item[2])


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"({[^/}]+})", template)
    return re.compile("^" + "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts) + "$")


@cache
def _answer_validator(template: str, method: str, status: str) -> Any:
    """The validator of one operation's answer body for one status; None when the contract shows no body."""
    responses = _document()["paths"][template][method]["responses"]
    documented = responses.get(status) or responses.get(status[0] + "XX") or responses.get("default")
    if documented is None:
        return False
    schema = documented.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    return jsonschema_rs.validator_for({**_closed(schema), "components": _closed(_document().get("components", {}))})


def _closed(schema: Any) -> Any:
    """``schema`` with every object that names its properties closed to any other (an answer shows only the
    fields the contract names: one it does not, a secret or an internal note, is a field shown that must not
    be); an object the contract leaves open (a free-form ``data``) stays open."""
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    closed = {name: _closed(value) for name, value in schema.items()}
    if "properties" in schema and "additionalProperties" not in schema:
        closed["additionalProperties"] = False
    return closed


@cache
def _message_validator() -> Any:
    return jsonschema_rs.validator_for(json.loads(MESSAGES.read_text()))


def _template(path: str) -> str | None:
    """The path template of the contract that ``path`` is an address of, the most specific; None outside it."""
    return next((t for pattern, t, _ in _operations() if pattern.match(path)), None)


def said_oldest_first(method: str, path: str) -> bool:
    """Whether the pinned contract says the operation's answer lists its records oldest first."""
    template = _template(path)
    operation = _document()["paths"][template].get(method.lower()) if template else None
    return operation is not None and "oldest first" in operation.get("description", "")


def right_needed(method: str, path: str) -> str | None:
    """The permission the pinned contract says the operation needs (``x-required-permission``); None: none, or
    not an operation of the contract."""
    template = _template(path)
    operation = _document()["paths"][template].get(method.lower()) if template else None
    return operation.get("x-required-permission") if operation is not None else None


def answer_problems(method: str, path: str, status: int, text: str) -> list[str]:
    """How an answer breaks the pinned OpenAPI document (an unknown operation, an undocumented status, a body
    its schema does not take); empty when it keeps it."""
    if method == "HEAD":  # HTTP's: the GET's answer without its body (RFC 9110, 9.3.2)
        return [f"answers HEAD {path} with a body"] if text else answer_problems("GET", path, status, "")
    template = _template(path)
    if template is None:  # outside the API (health, metrics, this document) or not served: only "not found"
        outside = method == "GET" and not path.startswith(API_PREFIX)
        return (
            [] if status == 404 or outside else [f"answers {status} for {path}, an address the contract does not list"]
        )
    operation = _document()["paths"][template].get(method.lower())
    if operation is None:
        return [] if status == 405 else [f"answers {status} to {method} {template}, which the contract does not list"]
    validator = _answer_validator(template, method.lower(), str(status))
    if validator is False:
        return [f"has the status {status}, which the contract does not list for {method} {template}"]
    if validator is None or not text:
        return []
    try:
        body = json.loads(text)
    except ValueError:
        return [f"is not the JSON the contract describes for {method} {template} {status}"]
    errors = [
        f"{e.message} (at {'/'.join(map(str, e.instance_path)) or 'the top'})" for e in validator.iter_errors(body)
    ]
    return (
        [f"breaks the contract of {method} {template} {status}: " + "; ".join(errors[:SHOWN_ERRORS])] if errors else []
    )


def frame_problems(text: str) -> list[str]:
    """How a frame breaks the pinned schema of the assistant's messages; empty when it keeps it."""
    try:
        message = json.loads(text)
    except ValueError:
        return []  # the strict-JSON rule reports it
    errors = [e.message for e in _message_validator().iter_errors(message)]
    return (
        [f"breaks the pinned schema of the assistant's messages: {'; '.join(errors[:SHOWN_ERRORS])}"] if errors else []
    )


def pinned_text(document: dict[str, Any]) -> str:
    """How a document is written to the pinned file: keys sorted, two spaces, a final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="pin the running platform's OpenAPI document again")
    args = parser.parse_args(argv)
    if not args.write:
        parser.print_help()
        return 2
    import requests

    from support.stack.stack import Stack

    with Stack({}) as stack:
        document = requests.get(stack.env["PLATFORM_URL"] + "/openapi.json", timeout=10).json()
    OPENAPI.write_text(pinned_text(document))
    print(f"pinned: {OPENAPI.relative_to(REPO_ROOT)} ({len(document['paths'])} paths)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
