"""The platform's operations, read from its own OpenAPI document, with valid requests made for them.

A request is built from the schema alone: path parameters and uuid fields are
filled from the records given by parameter name (``lead_id``, ``project_id`` ...),
everything else gets a plain valid value. A new endpoint is therefore swept
without editing any test; one whose path names an unknown kind of record
stops the sweep with a message naming it.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass
from typing import Any

from support.clients.paths import API_PREFIX, Operations


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # without the /api/v1 prefix, with {placeholders}
    permission: str | None
    spec: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)


class UnknownRecordKind(LookupError):
    pass


def tenant_operations(document: dict[str, Any]) -> list[Operation]:
    """Every operation under the API prefix that acts inside one tenant."""
    found = []
    for path, methods in document["paths"].items():
        if not path.startswith(API_PREFIX) or path.startswith(Operations.OUTSIDE_TENANCY):
            continue
        for method, spec in methods.items():
            found.append(Operation(method.upper(), path[len(API_PREFIX) :], spec.get("x-required-permission"), spec))
    return sorted(found, key=lambda op: (op.path, op.method))


class RequestMaker:
    """Valid requests for operations, pointing at the given records."""

    def __init__(self, document: dict[str, Any], records: dict[str, str]) -> None:
        self._schemas = document.get("components", {}).get("schemas", {})
        self._records = records

    def path(self, op: Operation) -> str:
        missing = [p for p in op.path_params if p not in self._records]
        if missing:
            raise UnknownRecordKind(f"{op.name} needs a record for {missing}; add its kind to the sweep's records")
        return op.path.format(**{p: self._records[p] for p in op.path_params})

    def params(self, op: Operation) -> dict[str, Any]:
        """Every required query parameter, with a valid value."""
        return {
            p["name"]: self._value(p.get("schema", {}), p["name"])
            for p in op.spec.get("parameters", [])
            if p.get("in") == "query" and p.get("required")
        }

    def headers(self, op: Operation) -> dict[str, str]:
        return {
            p["name"]: str(uuid.uuid4())
            for p in op.spec.get("parameters", [])
            if p.get("in") == "header" and p.get("required")
        }

    def body(self, op: Operation) -> Any:
        content = op.spec.get("requestBody", {}).get("content", {}).get("application/json")
        return self._value(content["schema"], "body") if content else None

    def references_records(self, op: Operation) -> bool:
        """True when the request names one of the records (in its path or its body)."""
        body = self.body(op)
        return bool(op.path_params) or any(v in str(body) for v in self._records.values())

    def _value(self, schema: dict[str, Any], name: str) -> Any:
        if "$ref" in schema:
            return self._value(self._schemas[schema["$ref"].rsplit("/", 1)[-1]], name)
        for combinator in ("anyOf", "oneOf", "allOf"):
            if combinator in schema:
                options = [s for s in schema[combinator] if s.get("type") != "null"]
                return self._value(options[0], name)
        if "enum" in schema:
            return schema["enum"][0]
        if "examples" in schema:
            return schema["examples"][0]
        kind = schema.get("type")
        if kind == "object":
            return {
                prop: self._value(sub, prop)
                for prop, sub in schema.get("properties", {}).items()
                if prop in schema.get("required", [])
            }
        if kind == "array":
            return [self._value(schema["items"], name)] * max(1, schema.get("minItems", 1))
        if kind in ("integer", "number"):
            return 1
        if kind == "boolean":
            return True
        return self._string(schema, name)

    def _string(self, schema: dict[str, Any], name: str) -> str:
        if schema.get("format") == "uuid":
            return self._records.get(name, str(uuid.uuid4()))
        if schema.get("format") == "date":
            return datetime.date.today().isoformat()
        if schema.get("format") == "email":
            return "sweep@example.com"
        return "Sweep".ljust(schema.get("minLength", 0), "s")
