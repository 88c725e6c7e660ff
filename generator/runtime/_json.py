"""JSON in and out with money kept exact.

The vendor's ``decimal`` fields are JSON numbers. ``json.loads`` would make them
floats (``0.1`` then ``0.1000000000000000055…``) and pydantic dumps a ``Decimal`` as a
JSON *string*, which the vendor would reject; so responses are decoded with every
non-integer number as ``Decimal`` and request bodies are encoded with each ``Decimal``
written as the number it is, digit for digit. No value passes through ``float``.

Pydantic's ``validate_json`` reads a JSON number meant for a ``Decimal`` through a
``float`` (``0.29999999999999998`` becomes ``0.3``, ``12.10`` becomes ``12.1``), but it
validates straight from the raw bytes, several times faster than ``loads`` plus
``validate_python`` on a page of records. ``floats_are_exact`` tells when that shortcut
gives the same ``Decimal`` as ``loads``: when no number has a trailing zero after its
point, an exponent, or eight or more digits on either side of its point (at most 14
digits: every decimal of 15 or fewer significant digits survives a round trip through a
double, digit for digit). Any other body takes the exact path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal

import pydantic
import pydantic_core

__all__ = ["dumps", "floats_are_exact", "jsonable", "loads"]

# Anchored on a literal "." or "E"/"e" so the scan jumps between candidates (a pattern
# that starts with a character class tries every byte: ten times slower on a page).
# Text inside strings may match too; that only sends the body down the exact path.
_END = rb"[ \t\r\n]*(?:[,\]}]|\Z)"
_INEXACT_POINT = re.compile(
    rb"\.(?:[0-9]*0" + _END + rb"|[0-9]{8}|(?<=[0-9]{8}\.)|[0-9]+[eE])"
)
_EXPONENT = (
    re.compile(rb"e(?<=[0-9]e)[-+]?[0-9]+" + _END),
    re.compile(rb"E(?<=[0-9]E)[-+]?[0-9]+" + _END),
)


def loads(content: bytes | str) -> object:
    """Decode a JSON document; numbers with a fraction or exponent become ``Decimal``."""
    return json.loads(content, parse_float=Decimal)


def floats_are_exact(content: bytes) -> bool:
    """Whether every JSON number in ``content`` reads as the same ``Decimal`` via ``float``."""
    if _INEXACT_POINT.search(content) is not None:
        return False
    return not any(p.search(content) for p in _EXPONENT)


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
