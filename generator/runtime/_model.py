"""Base class of every generated model.

The vendor sends ``…AtUtc`` timestamps without an offset ("all DateTimes are in
UTC"). Pydantic would keep them naive, and a naive value cannot be compared with the
aware ranges on ``Page``; so every datetime a model holds is made aware UTC here:
naive values are taken as UTC, aware ones converted. A field the spec marks as a
local time (``json_schema_extra={"localTime": True}``) is the site's wall clock, whose
offset the vendor never sends: it stays naive, as sent.

Fields are read from the wire names (``validation_alias``) or the Python names, and
written by wire name (``serialization_alias``); money is ``decimal.Decimal``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pydantic

__all__ = ["TextDatesModel", "VendorModel", "is_local_time"]


def is_local_time(field: pydantic.fields.FieldInfo) -> bool:
    """Whether the spec marks ``field`` as a local (naive, wall-clock) time."""
    extra = field.json_schema_extra
    return isinstance(extra, dict) and extra.get("localTime") is True


class VendorModel(pydantic.BaseModel):
    """A pydantic model whose datetimes are timezone-aware UTC, local times excepted."""

    @pydantic.field_validator("*", mode="after")
    @classmethod
    def _datetimes_are_utc(cls, value: Any, info: pydantic.ValidationInfo) -> Any:
        if not isinstance(value, datetime):
            return value
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and is_local_time(field):
            return value  # as sent: the vendor gives no offset, so none is invented
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


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


class TextDatesModel(VendorModel):
    """A model with datetimes the vendor sends as text in its own format.

    Each such field (``json_schema_extra={"wireFormat": "%m/%d/%Y …"}``) is parsed to
    an aware UTC datetime; the text as sent stays available from ``raw_text``.
    """

    _raw_text: dict[str, str] = pydantic.PrivateAttr(default_factory=dict)

    @pydantic.model_validator(mode="wrap")
    @classmethod
    def _parse_text_dates(
        cls, data: Any, handler: pydantic.ValidatorFunctionWrapHandler
    ) -> Any:
        raw: dict[str, str] = {}
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
