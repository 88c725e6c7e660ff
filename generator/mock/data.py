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

from ..spec.model import Model, ModelField, StageApi, TypeRef

__all__ = [
    "DELETED_FLAGS",
    "Row",
    "ValueMaker",
    "date_field",
    "deleted_share",
    "deletion_flag",
    "format_moment",
    "is_deleted",
    "kind_of",
    "link_fields",
]

#: Bool fields that mark a record deleted, with the value that means "deleted": the
#: vendor-neutral convention the mock reads (``includeDeleted`` shows such rows).
DELETED_FLAGS = (("isEnabled", False), ("isDeleted", True))
#: Share of deleted records when the spec gives no ``true_ratio`` for the flag.
_DEFAULT_DELETED_SHARE = 0.05
#: Share of true values of other bool fields without a ``true_ratio``.
_DEFAULT_TRUE_RATIO = 0.8

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


def deletion_flag(model: Model) -> tuple[ModelField, bool] | None:
    """The field marking ``model``'s records deleted and its "deleted" value, if any."""
    for name, deleted in DELETED_FLAGS:
        item = model.field(name)
        if item is not None and item.type.base == "bool" and not item.type.is_list:
            return item, deleted
    return None


def deleted_share(model: Model) -> float:
    """Share of ``model``'s records the mock marks deleted (0 without a flag)."""
    flag = deletion_flag(model)
    if flag is None:
        return 0.0
    item, deleted = flag
    if item.true_ratio is None:
        return _DEFAULT_DELETED_SHARE
    return item.true_ratio if deleted else 1 - item.true_ratio


def is_deleted(data: Mapping[str, Any]) -> bool:
    """True when a record's deletion flag says deleted."""
    return any(data.get(name) is flag for name, flag in DELETED_FLAGS)


def format_moment(moment: datetime) -> str:
    """Naive UTC with milliseconds, as the vendor writes dates: 2021-11-15T18:07:05.477."""
    # isoformat, not strftime: "%Y" drops the leading zeros of years before 1000.
    return moment.replace(tzinfo=None).isoformat(timespec="milliseconds")


class ValueMaker:
    """Makes field values for one model row from a seeded ``random.Random``."""

    def __init__(self, stage: StageApi, rng: random.Random, anchor: datetime) -> None:
        self.stage = stage
        self.rng = rng
        self.anchor = anchor
        # Links and names of the record being made: nested records (a transaction's
        # line items) reference the same product, machine and site as their parent.
        self._links: Mapping[str, int] = {}
        self._names: Mapping[str, str] = {}
        self._flags: dict[str, tuple[ModelField, bool] | None] = {}
        # Lookups by name, made once: a table of thousands of rows asks per field.
        self._models = {m.name: m for m in stage.models}
        self._enums = {e.name: e for e in stage.enums}

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
        outer = self._links, self._names
        self._links, self._names = links, names
        by_field: dict[str, int] = {}
        for kind, value in links.items():  # the first kind naming a field wins
            for name in link_fields(kind):
                by_field.setdefault(name, value)
        try:
            out: dict[str, Any] = {}
            for item in model.fields:
                out[item.name] = self._field(model, item, ident, by_field, names, moment)
        finally:
            self._links, self._names = outer
        return out

    def _field(
        self,
        model: Model,
        item: ModelField,
        ident: int | str,
        links: Mapping[str, int],  # link field name -> id
        names: Mapping[str, str],
        moment: datetime,
    ) -> Any:
        if item.name == "id" and not item.type.is_list:
            return ident
        if item.name in links:
            return links[item.name]
        if item.name.endswith("Name") and item.name[:-4] in names:
            return names[item.name[:-4]]
        if item.name == "name" and item.type.base == "string":
            return _fit(f"{model.name} {ident}", item)
        if item.examples:
            return self.rng.choice(item.examples)
        if model.name not in self._flags:
            self._flags[model.name] = deletion_flag(model)
        flag = self._flags[model.name]
        if flag is not None and flag[0] is item:
            return not flag[1]  # the store picks the few deleted records
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
        enum = self._enums.get(ref.base)
        if enum is not None:
            return self.rng.choice(enum.values)
        model = self._models.get(ref.base)
        if model is not None:
            ident = self.rng.randint(1, 99999)
            return self.record(model, ident, self._links, self._names, moment)
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
            ratio = item.true_ratio if item is not None else None
            return self.rng.random() < (
                _DEFAULT_TRUE_RATIO if ratio is None else ratio
            )
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
