"""Base classes of every generated model.

The vendor sends ``…AtUtc`` timestamps without an offset ("all DateTimes are in
UTC"). Pydantic would keep them naive, and a naive value cannot be compared with the
aware ranges on ``Page``; so every datetime a model holds is made aware UTC here:
naive values are taken as UTC, aware ones converted. A field the spec marks as a
local time (``json_schema_extra={"localTime": True}``) is the site's wall clock, whose
offset the vendor never sends: it stays naive, as sent.

Fields are read from the wire names (``validation_alias``) or the Python names, and
written by wire name (``serialization_alias``); money is ``decimal.Decimal``.

Why two bases: models with no datetime field derive from ``VendorModelBase`` and pay
nothing per record. ``VendorModel`` adds one model validator, run once per record, that
touches only the fields whose annotation can hold a datetime (found once per class). A
``"*"`` field validator was a Python call for every field of every record: a fifth of
a 50,000-record walk.

Extra fields the vendor adds are typed ``JsonExtra``: a JSON number read from the raw
body (``validate_json``) becomes ``Decimal``, as it does through ``_json.loads``, so no
value of an unknown field passes as ``float`` either; Python values given in code are
kept as they are.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Union

import pydantic
from typing_extensions import TypeAliasType

__all__ = [
    "JsonExtra",
    "TextDatesModel",
    "VendorModel",
    "VendorModelBase",
    "is_local_time",
]

# Strict members first, so a JSON string stays ``str`` and a JSON number with a
# fraction becomes ``Decimal``; ``Any`` keeps whatever Python value code passes.
if TYPE_CHECKING:
    JsonExtra = Any  # mypy does not follow the recursive alias
else:
    JsonExtra = TypeAliasType(
        "JsonExtra",
        Annotated[
            Union[  # noqa: UP007 (a recursive alias is built from a string-free Union)
                pydantic.StrictBool,
                pydantic.StrictInt,
                pydantic.StrictStr,
                Annotated[Decimal, pydantic.Strict()],
                Annotated[list["JsonExtra"], pydantic.Strict()],
                Annotated[dict[str, "JsonExtra"], pydantic.Strict()],
                Any,
                None,
            ],
            pydantic.Field(union_mode="left_to_right"),
        ],
    )


def is_local_time(field: pydantic.fields.FieldInfo) -> bool:
    """Whether the spec marks ``field`` as a local (naive, wall-clock) time."""
    extra = field.json_schema_extra
    return isinstance(extra, dict) and extra.get("localTime") is True


def _holds_datetime(annotation: Any) -> bool:
    if annotation is datetime:
        return True
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _holds_datetime(typing.get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return any(_holds_datetime(arg) for arg in typing.get_args(annotation))
    return False


# Model class -> its fields that are made UTC (filled on first use: a model with forward
# references has its annotations resolved only once every class is built).
_UTC_FIELDS: dict[type[pydantic.BaseModel], tuple[str, ...]] = {}


def _utc_fields(cls: type[pydantic.BaseModel]) -> tuple[str, ...]:
    names = _UTC_FIELDS.get(cls)
    if names is None:
        names = tuple(
            name
            for name, info in cls.model_fields.items()
            if _holds_datetime(info.annotation) and not is_local_time(info)
        )
        _UTC_FIELDS[cls] = names
    return names


class VendorModelBase(pydantic.BaseModel):
    """Base of generated models that hold no datetime: no validator runs per record."""

    __pydantic_extra__: dict[str, JsonExtra] = pydantic.Field(init=False)


class VendorModel(VendorModelBase):
    """A pydantic model whose datetimes are timezone-aware UTC, local times excepted."""

    @pydantic.model_validator(mode="after")
    def _datetimes_are_utc(self) -> Any:
        values = self.__dict__
        for name in _utc_fields(type(self)):
            value = values[name]
            if isinstance(value, datetime) and value.tzinfo is not UTC:
                if value.tzinfo is None:
                    values[name] = value.replace(tzinfo=UTC)
                else:
                    values[name] = value.astimezone(UTC)
        return self


def _wire_format(field: pydantic.fields.FieldInfo) -> str | None:
    extra = field.json_schema_extra
    fmt = extra.get("wireFormat") if isinstance(extra, dict) else None
    return fmt if isinstance(fmt, str) else None


def _keys(name: str, field: pydantic.fields.FieldInfo) -> list[str]:
    """The input keys a field is read from: its wire name(s), then its Python name."""
    alias = field.validation_alias
    if isinstance(alias, str):
        return [alias, name]
    if isinstance(alias, pydantic.AliasChoices):
        return [c for c in alias.choices if isinstance(c, str)] + [name]
    return [name]


def _parse_text_date(text: str, fmt: str) -> datetime | str:
    """``text`` in the vendor's format as aware UTC; other text is left to pydantic."""
    try:
        return datetime.strptime(text.strip(), fmt).replace(tzinfo=UTC)
    except ValueError:
        return text  # ISO 8601 (a dump of this model) still validates


def _decimals(value: Any) -> Any:
    """JSON data with every float as the ``Decimal`` of its shortest repr."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {key: _decimals(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decimals(item) for item in value]
    return value


class TextDatesModel(VendorModel):
    """A model with datetimes the vendor sends as text in its own format.

    Each such field (``json_schema_extra={"wireFormat": "%m/%d/%Y …"}``) is parsed to
    an aware UTC datetime; the text as sent stays available from ``raw_text``.
    """

    _raw_text: dict[str, str] = pydantic.PrivateAttr(default_factory=dict)

    @pydantic.model_validator(mode="wrap")
    @classmethod
    def _parse_text_dates(
        cls,
        data: Any,
        handler: pydantic.ValidatorFunctionWrapHandler,
        info: pydantic.ValidationInfo,
    ) -> Any:
        raw: dict[str, str] = {}
        if info.mode == "json":
            # pydantic hands a wrap validator JSON numbers as floats; the body passed
            # ``floats_are_exact``, so each float's repr is the number as sent
            data = _decimals(data)
        if isinstance(data, Mapping):
            data = dict(data)
            for name, field in cls.model_fields.items():
                fmt = _wire_format(field)
                key = next((k for k in _keys(name, field) if k in data), None)
                if fmt is not None and key is not None and isinstance(data[key], str):
                    raw[name] = data[key]
                    data[key] = _parse_text_date(data[key], fmt)
        model = handler(data)
        if isinstance(model, TextDatesModel):
            model._raw_text.update(raw)
        return model

    def raw_text(self, field: str) -> str | None:
        """The text the vendor sent for datetime ``field`` (None if not read from text)."""
        return self._raw_text.get(field)
