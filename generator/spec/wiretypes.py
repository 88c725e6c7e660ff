"""The spec's C#-style base types and the JSON Schema each one renders to.

Shared by the model emitter (pydantic fields), the OpenAPI export and the diff
engine (two bases with the same JSON type are the same on the wire).
"""

from __future__ import annotations

from typing import Any

__all__ = ["PRIMITIVE_SCHEMAS", "json_type"]

PRIMITIVE_SCHEMAS: dict[str, dict[str, Any]] = {
    "int": {"type": "integer"},
    "long": {"type": "integer"},
    "short": {"type": "integer"},
    "byte": {"type": "integer"},
    # decimal is money: exact Decimal in Python; the runtime keeps it a JSON number
    "decimal": {"type": "number", "format": "decimal"},
    "double": {"type": "number"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "string": {"type": "string"},
    "DateTime": {"type": "string", "format": "date-time"},
    "Guid": {"type": "string", "format": "uuid"},
}


def json_type(base: str) -> str:
    """The JSON type a C#-style base type renders to, with its format if any.

    ``int``/``long`` -> ``integer``, ``double``/``float`` -> ``number``,
    ``decimal`` -> ``number:decimal``,
    ``DateTime`` -> ``string:date-time``; a model or enum name is returned as is.
    Two bases with the same result render to the same wire and Python type.
    """
    schema = PRIMITIVE_SCHEMAS.get(base)
    if schema is None:
        return base
    fmt = schema.get("format")
    return f"{schema['type']}:{fmt}" if fmt else str(schema["type"])
