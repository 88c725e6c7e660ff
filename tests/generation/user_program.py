"""Writes the program a user would write against one generated stage: every write model built.

Each model that a route sends as its body is constructed twice with snake_case
keyword arguments: with its required fields only, and with every field. Values are
chosen to satisfy the spec's constraints; nested models are built the same way.
"""

from __future__ import annotations

from generator.spec.model import Model, ModelField, StageApi, TypeRef

_PRELUDE = '''"""A user's program: every write model of {package}, snake_case arguments."""

from __future__ import annotations

{imports}
import pydantic

from {package} import models

MODELS: list[tuple[pydantic.BaseModel, str]] = []
'''
_IMPORTS = [
    ("from datetime import datetime", "datetime("),
    ("from datetime import UTC", "tzinfo=UTC"),
    ("from decimal import Decimal", "Decimal("),
    ("from uuid import UUID", "UUID("),
]
_NUMBERS = {"decimal": 'Decimal("12.10")', "double": "2.5", "float": "2.5"}
_INTS = {"int", "long", "short", "byte"}


def write_models(stage: StageApi) -> list[Model]:
    """Models a route of ``stage`` sends as its body, sorted by name."""
    names = {r.body.model for r in stage.routes if r.body and r.body.model}
    return sorted((m for m in stage.models if m.name in names), key=lambda m: m.name)


def _int(f: ModelField) -> str:
    low = f.minimum if f.minimum is not None else f.exclusive_minimum
    return str(max(1, int(low or 0) + 1))


def _scalar(stage: StageApi, t: TypeRef, f: ModelField, every: bool) -> str:
    if t.base in _INTS:
        return _int(f)
    if t.base in _NUMBERS:
        return _NUMBERS[t.base]
    if t.base == "bool":
        return "True"
    if t.base == "DateTime":
        zone = "" if f.local_time else ", tzinfo=UTC"
        return f"datetime(2024, 3, 10, 14, 30, 5{zone})"
    if t.base == "Guid":
        return 'UUID("12345678-1234-5678-1234-567812345678")'
    enum = stage.enum(t.base)
    if enum is not None:
        return f"models.{enum.name}({enum.values[0]!r})"
    nested = stage.model(t.base)
    if nested is not None:
        return construct(stage, nested, every)
    return repr("x" * max(1, f.min_length or 1))


def _value(stage: StageApi, f: ModelField, every: bool) -> str:
    item = _scalar(stage, f.type, f, every)
    return f"[{item}]" if f.type.is_list else item


def construct(stage: StageApi, model: Model, every: bool) -> str:
    """``models.Name(a=…, b=…)``: required fields only, or every field."""
    fields = [
        f for f in model.fields if every or not (f.type.nullable or f.read_only)
    ]
    args = ", ".join(f"{f.py_name}={_value(stage, f, every)}" for f in fields)
    return f"models.{model.name}({args})"


def program(stage: StageApi) -> str:
    """The whole program for ``stage``; ``MODELS`` pairs each model with its kind."""
    lines = [
        f"MODELS.append(({construct(stage, model, every)}, {kind!r}))"
        for model in write_models(stage)
        for every, kind in ((False, "required"), (True, "all"))
    ]
    body = "\n".join(lines)
    used = [imp for imp, name in _IMPORTS if name in body]  # strict pyright: none unused
    imports = "\n".join(used) + ("\n" if used else "")
    return _PRELUDE.format(package=stage.package, imports=imports) + body + "\n"
