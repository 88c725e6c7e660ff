"""JSON Schema validation of the raw spec, mapped to located ``SpecError`` values."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import SpecError, short_repr
from .hints import did_you_mean, pattern_in_words
from .yamlsource import Source

if TYPE_CHECKING:  # jsonschema is imported when a spec is checked, not on a cache hit
    import jsonschema
    from jsonschema.exceptions import ValidationError

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "spec" / "routespec.schema.json"


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    # The editable install reads the schema from the repository, its one copy.
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(inline_refs(schema))


# Keywords that only annotate: a ``$ref`` beside them can be replaced by its target.
_ANNOTATIONS = frozenset({"description", "title", "$comment", "examples", "deprecated"})


def inline_refs(schema: Any) -> Any:
    """``schema`` with every local, non-recursive ``$ref`` replaced by its target.

    jsonschema resolves each ``$ref`` through ``referencing`` on every visit; on a
    spec of 300 models that was half of validation. Inlined once, validating is the
    same check (the ``$defs`` stay; a recursive or remote ``$ref`` is kept).
    """
    return _inline(schema, schema, ())


def _inline(node: Any, root: Any, stack: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_inline(item, root, stack) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    siblings = {k: v for k, v in node.items() if k != "$ref"}
    if (
        isinstance(ref, str)
        and ref.startswith("#/")
        and ref not in stack
        and set(siblings) <= _ANNOTATIONS
    ):
        target = _pointer(root, ref)
        if isinstance(target, dict):
            return {**_inline(target, root, (*stack, ref)), **siblings}
    return {k: _inline(v, root, stack) for k, v in node.items()}


def _pointer(root: Any, ref: str) -> Any:
    node = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def schema_errors(src: Source) -> list[SpecError]:
    """Every schema violation of ``src.data``, located at the offending key or value."""
    out: list[SpecError] = []
    for error in _validator().iter_errors(src.data):
        out.extend(_located(src, _deepest(error)))
    return out


def _deepest(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the alternative that got furthest explains it best."""
    from jsonschema.exceptions import best_match

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
            yield src.error((*path, key), f"unknown key {key!r}{_key_hint(key, allowed)}")
        return
    yield src.error(path, _message(error))


def _key_hint(key: str, allowed: set[str]) -> str:
    """Why a key is unknown: a typo, or prose cut off at a comma in a flow mapping."""
    if " " in key.strip() or key.rstrip().endswith("."):
        return (
            " (an unquoted comma inside {...} starts a new key: quote the text before it,"
            ' e.g. description: "A, B.")'
        )
    close = did_you_mean(key, allowed)
    listed = f"; expected one of: {', '.join(sorted(allowed))}" if allowed else ""
    return close + listed


def _message(error: ValidationError) -> str:
    v: Any = error.validator
    if v == "required":
        return error.message.replace("is a required property", "is required")
    if v == "type":
        return f"expected {error.validator_value}, got {_kind(error.instance)}"
    if v == "pattern":
        rule = pattern_in_words(str(error.validator_value))
        shown = short_repr(error.instance)
        return f"{shown} does not match {error.validator_value!r}: expected {rule}"
    if v == "not" and isinstance(error.schema, dict) and error.path:
        # a key forbidden by the other protocol: its schema says why
        return f"{error.path[-1]!r} is {error.schema.get('description', 'not allowed here')}"
    if v == "enum":
        allowed: Any = error.validator_value
        options = ", ".join(repr(v) for v in allowed)
        return f"{short_repr(error.instance)} is not one of {options}"
    # jsonschema's own messages quote the whole instance: quote a glimpse of it instead.
    full = repr(error.instance)
    return error.message.replace(full, short_repr(error.instance), 1)


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
