"""JSON in and out with money kept exact.

The vendor's ``decimal`` fields are JSON numbers. ``json.loads`` would make them
floats (``0.1`` then ``0.1000000000000000055…``) and pydantic dumps a ``Decimal`` as a
JSON *string*, which the vendor would reject; so responses are decoded with every
non-integer number as ``Decimal`` and request bodies are encoded with each ``Decimal``
written as the number it is, digit for digit. No value passes through ``float``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal

import pydantic
import pydantic_core

__all__ = ["dumps", "jsonable", "loads"]


def loads(content: bytes | str) -> object:
    """Decode a JSON document; numbers with a fraction or exponent become ``Decimal``."""
    return json.loads(content, parse_float=Decimal)


def jsonable(value: object) -> object:
    """JSON-ready data of ``value`` (models by wire name) with ``Decimal`` kept as is."""
    if isinstance(value, pydantic.BaseModel):
        value = value.model_dump(mode="python", by_alias=True)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return pydantic_core.to_jsonable_python(value)


def dumps(value: object) -> str:
    """Encode JSON-ready data as httpx would, each ``Decimal`` as an exact JSON number."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a JSON number")
        return str(value)
    if isinstance(value, Mapping):
        items = (f"{_scalar(str(k))}:{dumps(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(dumps(item) for item in value) + "]"
    return _scalar(value)


def _scalar(value: object) -> str:
    # httpx's own settings for json=, so bodies look as they did before Decimal
    return json.dumps(value, ensure_ascii=False, allow_nan=False)
