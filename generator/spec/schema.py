"""JSON Schema validation of the raw spec, mapped to located ``SpecError`` values."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from .errors import SpecError
from .yamlsource import Source

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "spec" / "routespec.schema.json"


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    # The editable install reads the schema from the repository, its one copy.
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def schema_errors(src: Source) -> list[SpecError]:
    """Every schema violation of ``src.data``, located at the offending key or value."""
    out: list[SpecError] = []
    for error in _validator().iter_errors(src.data):
        out.extend(_located(src, _deepest(error)))
    return out


def _deepest(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the alternative that got furthest explains it best."""
    while error.context:
        # The alternative whose error lies deepest in the instance matched the most
        # of it (a model with one bad field, not "an enum has no key 'fields'").
        depth = max(len(e.absolute_path) for e in error.context)
        best = best_match(e for e in error.context if len(e.absolute_path) == depth)
        if best is None or len(best.absolute_path) < len(error.absolute_path):
            break
        if best.validator in ("oneOf", "anyOf") and not best.context:
            break
        error = best
    return error


def _located(src: Source, error: ValidationError) -> Iterator[SpecError]:
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = (
            set(error.schema.get("properties", {}))
            if isinstance(error.schema, dict)
            else set()
        )
        for key in sorted(k for k in error.instance if k not in allowed):
            hint = f"; expected one of: {', '.join(sorted(allowed))}" if allowed else ""
            yield src.error((*path, key), f"unknown key {key!r}{hint}")
        return
    yield src.error(path, _message(error))


def _message(error: ValidationError) -> str:
    v: Any = error.validator
    if v == "required":
        return error.message.replace("is a required property", "is required")
    if v == "type":
        return f"expected {error.validator_value}, got {_kind(error.instance)}"
    if v == "pattern":
        return f"{error.instance!r} does not match {error.validator_value!r}"
    if v == "not" and isinstance(error.schema, dict) and error.path:
        # a key forbidden by the other protocol: its schema says why
        return f"{error.path[-1]!r} is {error.schema.get('description', 'not allowed here')}"
    if v == "enum":
        allowed: Any = error.validator_value
        options = ", ".join(repr(v) for v in allowed)
        return f"{error.instance!r} is not one of {options}"
    return error.message


def _kind(value: Any) -> str:
    names = {
        dict: "mapping",
        list: "list",
        str: "string",
        bool: "boolean",
        int: "integer",
        float: "number",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)
