"""Seeded fake values generated from a model's field types, constraints and enums.

Nothing here knows a vendor: values come from ``ModelField`` types and constraints,
with a few name-based touches (``name``, ``prose``, ``timeZone``) so rows look real.
Relations (which site a machine stands at) are the store's business, passed in as
``links``.
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..model import Model, ModelField, StageApi, TypeRef

__all__ = [
    "Row",
    "ValueMaker",
    "date_field",
    "format_moment",
    "kind_of",
    "link_fields",
]

# Link fields that do not follow the ``<kind>Id`` pattern (Site.orgId).
_LINK_ALIASES = {"organization": ("orgId",)}
_INTS = frozenset({"int", "long", "short", "byte"})
_NUMBERS = frozenset({"decimal", "double", "float"})
_WORDS = (
    "North",
    "Lake",
    "Central",
    "Harbor",
    "Union",
    "Park",
    "Metro",
    "River",
    "Hill",
)
_TIME_ZONES = (
    "Pacific Standard Time",
    "Eastern Standard Time",
    "Central Standard Time",
)


@dataclass(slots=True)
class Row:
    """One stored record: its JSON data, its links to the org tree and its moment."""

    data: dict[str, Any]
    links: dict[str, int] = field(default_factory=dict)
    moment: datetime | None = None


def kind_of(model_name: str) -> str:
    """``Organization`` -> ``organization``: the kind a model's ids belong to."""
    return model_name[:1].lower() + model_name[1:]


def link_fields(kind: str) -> tuple[str, ...]:
    """Field names that hold an id of ``kind``: ``siteId``, and ``orgId`` for orgs."""
    return (f"{kind}Id", *_LINK_ALIASES.get(kind, ()))


def date_field(model: Model) -> str | None:
    """The field dated rows are filtered on: the first DateTime ending in Utc or At."""
    for item in model.fields:
        dated = item.type.base == "DateTime" and not item.type.is_list
        if dated and item.name.endswith(("Utc", "At")):
            return item.name
    return None


def format_moment(moment: datetime) -> str:
    """Naive UTC with milliseconds, as the vendor writes dates: 2021-11-15T18:07:05.477."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


class ValueMaker:
    """Makes field values for one model row from a seeded ``random.Random``."""

    def __init__(self, stage: StageApi, rng: random.Random, anchor: datetime) -> None:
        self.stage = stage
        self.rng = rng
        self.anchor = anchor

    def record(
        self,
        model: Model,
        ident: int | str,
        links: Mapping[str, int],
        names: Mapping[str, str],
        moment: datetime | None = None,
    ) -> dict[str, Any]:
        """A full record; ``links`` fill id fields, ``names`` fill ``<kind>Name`` fields."""
        moment = moment or self.anchor
        out: dict[str, Any] = {}
        for item in model.fields:
            out[item.name] = self._field(model, item, ident, links, names, moment)
        return out

    def _field(
        self,
        model: Model,
        item: ModelField,
        ident: int | str,
        links: Mapping[str, int],
        names: Mapping[str, str],
        moment: datetime,
    ) -> Any:
        if item.name == "id" and not item.type.is_list:
            return ident
        for kind, value in links.items():
            if item.name in link_fields(kind):
                return value
        if item.name.endswith("Name") and item.name[:-4] in names:
            return names[item.name[:-4]]
        if item.name == "name" and item.type.base == "string":
            return _fit(f"{model.name} {ident}", item)
        if item.type.nullable and self.rng.random() < 0.1:
            return None
        return self.value(item.type, item, moment)

    def value(self, ref: TypeRef, item: ModelField | None, moment: datetime) -> Any:
        """A value of type ``ref`` honouring ``item``'s constraints."""
        if ref.is_list:
            single = TypeRef(ref.base)
            return [
                self.value(single, None, moment) for _ in range(self.rng.randint(1, 3))
            ]
        enum = self.stage.enum(ref.base)
        if enum is not None:
            return self.rng.choice(enum.values)
        model = self.stage.model(ref.base)
        if model is not None:
            ident = self.rng.randint(1, 99999)
            return self.record(model, ident, {}, {}, moment)
        return self._primitive(ref.base, item, moment)

    def _primitive(self, base: str, item: ModelField | None, moment: datetime) -> Any:
        if base in _INTS:
            low = _lower_bound(item)
            return self.rng.randint(int(low), int(low) + 99)
        if base in _NUMBERS:
            return round(
                self.rng.uniform(_lower_bound(item), _lower_bound(item) + 100), 2
            )
        if base == "bool":
            return self.rng.random() < 0.8
        if base == "DateTime":
            return format_moment(moment + timedelta(seconds=self.rng.randint(0, 600)))
        if base == "Guid":
            return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        return self._string(item)

    def _string(self, item: ModelField | None) -> str:
        name = item.name if item is not None else ""
        if name == "prose":
            letters = "".join(self.rng.choices(string.ascii_uppercase, k=2))
            text = letters + "".join(self.rng.choices(string.digits, k=6))
        elif name == "timeZone":
            text = self.rng.choice(_TIME_ZONES)
        else:
            text = f"{self.rng.choice(_WORDS)} {self.rng.randint(1, 9999)}"
        return _fit(text, item)


def _lower_bound(item: ModelField | None) -> float:
    if item is None:
        return 1
    if item.exclusive_minimum is not None:
        return item.exclusive_minimum + 1
    if item.minimum is not None:
        return item.minimum
    return 1


def _fit(text: str, item: ModelField | None) -> str:
    """Cut to ``max_length`` and pad to ``min_length``."""
    if item is None:
        return text
    if item.max_length is not None:
        text = text[: item.max_length]
    if item.min_length is not None and len(text) < item.min_length:
        text = text.ljust(item.min_length, "x")
    return text
