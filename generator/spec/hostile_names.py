"""Spec names the generated Python cannot hold, checked before anything is rendered.

A class or field name passes the schema's identifier patterns yet still breaks a
package when it is a keyword (``class None``), rebinds a name the module imports or
uses in annotations (a field ``date`` next to ``from datetime import date``), sits in
pydantic's namespace (``model_config``, ``model_dump``, ``copy``), or is one that
datamodel-code-generator silently renames (``UUID``, ``SecretStr``) while the
templates still import the spec's spelling. Each is reported at its declaration.
"""

from __future__ import annotations

import builtins
import keyword
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from .errors import JsonPath
from .model import StageApi

Found = Iterator[tuple[JsonPath, str]]

# Every name datamodel-code-generator (0.26-0.89) may import into a models module
# (it renames a model that would shadow one, while the templates keep the spec's
# name) plus the stdlib types the templates bind.
_IMPORTED_NAMES = frozenset(
    {
        "AliasChoices", "Annotated", "Any", "AnyUrl", "AwareDatetime", "Base64Bytes",
        "Base64Encoder", "Base64Str", "BaseModel", "ClassVar", "ConfigDict", "Date",
        "DateTime", "Decimal", "Dict", "Duration", "EmailStr", "EncodedBytes", "Enum",
        "Field", "FrozenSet", "FutureDate", "FutureDatetime", "IPv4Address",
        "IPv4Network", "IPv6Address", "IPv6Network", "IntEnum", "Iterator", "List",
        "Literal", "Mapping", "Meta", "MultipleOf", "NaiveDatetime", "NegativeFloat",
        "NegativeInt", "NonNegativeFloat", "NonNegativeInt", "NonPositiveFloat",
        "NonPositiveInt", "NotRequired", "Optional", "PastDate", "PastDatetime", "Path",
        "PositiveFloat", "PositiveInt", "ReadOnly", "Required", "RootModel",
        "SecretStr", "Sequence", "SerializeAsAny", "Set", "StrEnum", "StrictBool",
        "StrictBytes", "StrictFloat", "StrictInt", "StrictStr", "StringConstraints",
        "Struct", "SupportsIndex", "Time", "Tuple", "TypeAdapter", "TypeAlias",
        "TypeAliasType", "TypedDict", "ULID", "UUID", "UUID1", "UUID3", "UUID4",
        "UUID5", "Union", "UnsetType", "ValidationInfo", "ValidatorFunctionWrapHandler",
        "UTC", "timezone", "date", "datetime", "time", "timedelta",
    }
)  # fmt: skip
# Builtin types annotations name: a field called ``str`` would shadow ``str | None``.
_ANNOTATION_BUILTINS = frozenset(
    {"int", "float", "str", "bool", "bytes", "list", "dict", "set", "frozenset", "tuple", "object"}
)  # fmt: skip
# pydantic (2.10+) refuses fields starting with these; ``model_number`` is fine.
_PROTECTED_PREFIXES = ("model_validate", "model_dump")


@lru_cache(maxsize=1)
def reserved_class_names() -> frozenset[str]:
    """Class names a models, filters or errors module cannot define safely."""
    return frozenset(
        set(keyword.kwlist)
        | set(keyword.softkwlist)
        | set(dir(builtins))
        | _IMPORTED_NAMES
    )


@lru_cache(maxsize=1)
def reserved_field_names() -> frozenset[str]:
    """Python field names a pydantic model (or filter) class cannot hold."""
    import pydantic

    members = {n for n in dir(pydantic.BaseModel) if not n.startswith("_")}
    lower = {"date", "datetime", "time", "timedelta"}  # what generated modules import
    return frozenset(members | lower | _ANNOTATION_BUILTINS)


def field_name_problem(py_name: str) -> str | None:
    """Why ``py_name`` cannot be a field of a generated pydantic class, or None."""
    if py_name.startswith("_"):
        return f"{py_name!r} starts with an underscore (pydantic makes it private, not a field)"
    if py_name.startswith(_PROTECTED_PREFIXES):
        return f"{py_name!r} is in pydantic's protected namespace {_PROTECTED_PREFIXES}"
    if py_name in reserved_field_names():
        return (
            f"{py_name!r} is a pydantic BaseModel member or a name the module imports"
        )
    return None


def name_checks(stage: StageApi) -> Found:
    """Every class, field and enum-value naming problem of ``stage``."""
    yield from _class_names(stage)
    yield from _field_names(stage)
    yield from _enum_values(stage)


def _class_names(stage: StageApi) -> Found:
    named: list[tuple[str, str, JsonPath]] = [
        ("model", m.name, m.where) for m in stage.models
    ]
    named += [("enum", e.name, e.where) for e in stage.enums]
    named += [("filter", f.name, f.where) for f in stage.filters]
    named += [("error code", c.class_name, c.where) for c in stage.errors]
    named += [
        ("gateway error", g.name, ("errors", "gateway", i, "name"))
        for i, g in enumerate(stage.gateway)
    ]
    named.append(("error_root", stage.info.error_root, ("api", "error_root")))
    for kind, name, where in named:
        if name in reserved_class_names():
            msg = (
                f"{kind} name {name!r} is a Python keyword or builtin, or a name "
                "the generated modules import (typing, pydantic, datetime...); choose another"
            )
            yield where, msg


def _field_names(stage: StageApi) -> Found:
    for m in stage.models:
        for f in m.fields:
            problem = field_name_problem(f.py_name)
            if problem:
                yield f.where, f"{m.name}.{f.name}: field name {problem}"
    for flt in stage.filters:
        for ff in flt.fields:
            problem = field_name_problem(ff.py_name)
            if problem:
                yield ff.where, f"{flt.name}.{ff.name}: field name {problem}"


def _enum_values(stage: StageApi) -> Found:
    """Values NFKC makes equal become one Python member name (identifiers are NFKC)."""
    for e in stage.enums:
        seen: dict[str, str] = {}
        for value in e.values:
            key = unicodedata.normalize("NFKC", value)
            if key in seen:
                msg = f"enum {e.name}: values {seen[key]!r} and {value!r} are equal under NFKC"
                yield (*e.where, "enum"), msg
            seen.setdefault(key, value)
