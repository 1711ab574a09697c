"""The platform's settings as an operator reads them (``docs/settings.md``): each environment variable with its
default, what it accepts, whether it may change while the platform runs, and what it does; then what production
refuses. Made from ``app.config.Settings`` itself, so the reference cannot drift from the code: a test compares
the committed page with what this makes (a changed default or bound is a reviewed change of the page).

    python -m support.documentation.settings_reference          # exit 1 when docs/settings.md differs
    python -m support.documentation.settings_reference --write  # write it
"""

from __future__ import annotations

import argparse
import sys
import types
import typing
from typing import Any

import annotated_types
from pydantic.fields import FieldInfo

from app import config
from app.hot_settings import HOT_SETTINGS
from support.report.layout import REPO_ROOT

PAGE = REPO_ROOT / "docs" / "settings.md"
BOUNDS = {"gt": "more than", "ge": "at least", "lt": "less than", "le": "at most"}


def page() -> str:
    """The whole reference, as Markdown."""
    lines = [
        "# Settings",
        "",
        "Every setting of the platform, read from the environment (upper case, as below) and, over it, from the",
        "file `PLATFORM_SETTINGS_FILE` names (`KEY=VALUE` lines). Those marked *while running* may change without a",
        "restart: the instance reads the file again when sent SIGHUP or at an operator's call",
        "(`POST /api/v1/admin/settings/reload`, `docs/platform.md`). Made from `app/config.py` by",
        "`python -m support.documentation.settings_reference --write`; a test keeps it true.",
        "",
        "| setting | default | accepts | while running | what it does |",
        "|---|---|---|---|---|",
    ]
    for name, field in config.Settings.model_fields.items():
        running = "yes" if name in HOT_SETTINGS else ""
        lines.append(
            f"| `{name.upper()}` | {_default(field)} | {_accepts(field)} | {running} | {_cell(field.description or '')} |"
        )
    lines += ["", "## What production refuses", "", *_production(), ""]
    return "\n".join(lines)


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "**required**"
    if field.default is None:
        return "none"
    if field.default == "":
        return "empty"
    if isinstance(field.default, bool):
        return f"`{str(field.default).lower()}`"
    return f"`{field.default}`"


def _accepts(field: FieldInfo) -> str:
    said = [_kind(field.annotation)]
    for rule in field.metadata:
        for attribute, words in BOUNDS.items():
            if isinstance(rule, getattr(annotated_types, attribute.capitalize())):
                said.append(f"{words} {getattr(rule, attribute)}")
        if isinstance(rule, annotated_types.MinLen):
            said.append(f"at least {rule.min_length} characters")
        pattern = getattr(rule, "pattern", None)
        if pattern:
            said.append(f"matching `{pattern}`")
    return _cell(", ".join(part for part in said if part))


def _kind(annotation: Any) -> str:
    """What a type accepts, in an operator's words."""
    if typing.get_origin(annotation) is typing.Literal:
        return "one of " + ", ".join(f"`{choice}`" for choice in typing.get_args(annotation))
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kinds = [_kind(arg) for arg in typing.get_args(annotation) if arg is not type(None)]
        return " or ".join(kinds) + " (or nothing)"
    names = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}
    urls = {"PostgresDsn": "a PostgreSQL URL", "RedisDsn": "a Redis URL", "HttpUrl": "an http(s) URL"}
    name = getattr(annotation, "__name__", str(annotation))
    return names.get(annotation) or urls.get(name) or f"a {name}"


def _production() -> list[str]:
    secrets = ", ".join(f"`{name.upper()}` shorter than {least} characters" for name, least in _secrets())
    services = " or ".join(f"`{name.upper()}`" for name in config.EXTERNAL_SERVICES)
    return [
        "With `PLATFORM_PROFILE=production` an instance refuses to start (and a reload refuses the change), naming",
        f"each of these: {services} on this machine or over plain HTTP (they are called over the internet,",
        f"encrypted, never a double); {secrets} (each previous signing key as the key itself); `CLOCK_SETTABLE`",
        f"true; `PASSWORD_HASH_ITERATIONS` under {config.PRODUCTION_HASH_ITERATIONS:,}. The other profiles take any",
        "valid value.",
    ]


def _secrets() -> list[tuple[str, int]]:
    return list(config.PRODUCTION_SECRET_CHARACTERS.items())


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write docs/settings.md")
    args = parser.parse_args(argv)
    made = page()
    if args.write:
        PAGE.write_text(made)
        print(f"settings: {len(config.Settings.model_fields)} settings written to {PAGE.relative_to(REPO_ROOT)}")
        return 0
    if not PAGE.exists() or PAGE.read_text() != made:
        print(f"settings: {PAGE.relative_to(REPO_ROOT)} differs from app/config.py; run with --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
