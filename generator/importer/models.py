"""OpenAPI schemas -> routegen models and enums (the model half of ``import-openapi``).

The inverse of ``codegen_models``: JSON types back to C#-style type expressions,
nullability from ``type: [x, "null"]``, ``nullable: true`` (3.0) or ``anyOf`` with
null, constraints and ``readOnly`` kept, ``textRules`` read back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_FORMATS = {"date-time": "DateTime", "uuid": "Guid", "password": "string"}
_NUMBER_FORMATS = {"int64": "long", "double": "double", "float": "float"}
_TYPES = {"integer": "int", "number": "decimal", "boolean": "bool", "string": "string"}
_CONSTRAINTS = {
    "maxLength": "max_length",
    "minLength": "min_length",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "exclusive_minimum",
    "pattern": "pattern",
}

Schema = Mapping[str, Any]


def ref_name(schema: Schema) -> str | None:
    """``#/components/schemas/X`` -> ``X``."""
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _split_null(schema: Schema) -> tuple[Schema, bool]:
    """The schema without its null alternative, and whether null was allowed."""
    for key in ("anyOf", "oneOf"):
        options = schema.get(key)
        if isinstance(options, list):
            rest = [o for o in options if o.get("type") != "null"]
            if len(rest) == 1 and len(rest) < len(options):
                return rest[0], True
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        others = [k for k in kind if k != "null"]
        return {**schema, "type": others[0] if others else "string"}, True
    return schema, bool(schema.get("nullable"))


def type_expr(schema: Schema) -> str:
    """The C#-style type of a property schema (``int?``, ``List<Product>``, ...)."""
    inner, nullable = _split_null(schema)
    if inner.get("type") == "array":
        item, item_null = _split_null(inner.get("items") or {})
        base = _base(item) + ("?" if item_null else "")
        return f"List<{base}>" + ("?" if nullable else "")
    return _base(inner) + ("?" if nullable else "")


def _base(schema: Schema) -> str:
    name = ref_name(schema)
    if name is not None:
        return name
    fmt = schema.get("format")
    if schema.get("type") == "string" and fmt in _FORMATS:
        return _FORMATS[fmt]
    if schema.get("type") in ("integer", "number") and fmt in _NUMBER_FORMATS:
        return _NUMBER_FORMATS[str(fmt)]
    return _TYPES.get(str(schema.get("type")), "string")


def _field(name: str, schema: Schema, required: bool) -> dict[str, Any]:
    expr = type_expr(schema)
    read_only = bool(schema.get("readOnly"))
    if not required and not read_only and not expr.endswith("?"):
        expr += "?"  # routegen's optional field is a nullable one
    out: dict[str, Any] = {"type": expr}
    inner, _ = _split_null(schema)
    if schema.get("description"):
        out["description"] = " ".join(str(schema["description"]).split())
    if read_only:
        out["read_only"] = True
    if inner.get("format") == "password":
        out["secret"] = True
    for key, spec_key in _CONSTRAINTS.items():
        if key in inner:
            out[spec_key] = inner[key]
    if isinstance(inner.get("textRules"), list):
        out["text_rules"] = list(inner["textRules"])
    return out


def import_schemas(
    schemas: Mapping[str, Schema], skip: set[str]
) -> tuple[dict[str, Any], list[str]]:
    """Models and enums by name, and notes on what could not be imported."""
    models: dict[str, Any] = {}
    notes: list[str] = []
    for name, schema in sorted(schemas.items()):
        if name in skip:
            continue
        entry: dict[str, Any] = {}
        if schema.get("description"):
            entry["description"] = " ".join(str(schema["description"]).split())
        if isinstance(schema.get("enum"), list):
            models[name] = {**entry, "enum": [str(v) for v in schema["enum"]]}
        elif schema.get("type") == "object" or "properties" in schema:
            required = set(schema.get("required") or ())
            props = schema.get("properties") or {}
            fields = {k: _field(k, v, k in required) for k, v in props.items()}
            models[name] = {**entry, "fields": fields}
        else:
            notes.append(f"$.models.{name}: schema is neither an object nor an enum")
    return models, notes
