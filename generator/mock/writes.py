"""Bulk writes as atomic sets: check every element first, then swap the table once.

One bad element means nothing changes; each error object names the bad elements by
id (``pointerName`` ``Site.Id``) or, when they have none, by index in the body.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..spec.model import Model, ModelField, Route, StageApi, TypeRef
from .data import Row, date_field, format_moment, link_fields
from .errors import MockError, MockErrors
from .request import binder, int_fits, lower_keys
from .store import TREE, Store

__all__ = ["apply_write", "target_model"]

_INTS = frozenset({"int", "long", "short", "byte"})
_NUMBERS = frozenset({"decimal", "double", "float"})
_TREE_KINDS = tuple(kind for kind, _, _ in TREE)


@dataclass(slots=True)
class _Problem:
    code: str
    message: str
    index: int
    ident: Any


def target_model(stage: StageApi, route: Route) -> Model | None:
    """The table a write changes: its group's listed model, else the body model."""
    for other in stage.routes:
        if other.group == route.group and other.response.kind == "list" and other.paged:
            return stage.model(other.response.model or "")
    return stage.model(route.body.model or "") if route.body else None


def value_fits(stage: StageApi, ref: TypeRef, value: Any) -> bool:
    """Whether a non-null JSON ``value`` has the shape of ``ref`` (lists item by item)."""
    if ref.is_list:
        return isinstance(value, list) and all(
            value_fits(stage, TypeRef(ref.base), v) for v in value
        )
    if ref.base in _INTS:
        return int_fits(ref.base, value)
    if ref.base in _NUMBERS:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if ref.base == "bool":
        return isinstance(value, bool)
    if stage.model(ref.base) is not None:
        return isinstance(value, dict)
    enum = stage.enum(ref.base)
    if enum is not None:
        return isinstance(value, str) and value in enum.values
    return isinstance(value, str)


def constraint_problem(item: ModelField, value: Any) -> str | None:
    """The constraint of ``item`` that ``value`` breaks, in words; None when it fits."""
    if isinstance(value, str):
        if item.max_length is not None and len(value) > item.max_length:
            return f"{item.name} is longer than {item.max_length} characters."
        if item.min_length is not None and len(value) < item.min_length:
            return f"{item.name} is shorter than {item.min_length} characters."
    if isinstance(value, int | float) and not isinstance(value, bool):
        if item.minimum is not None and value < item.minimum:
            return f"{item.name} must be at least {item.minimum}."
        if item.exclusive_minimum is not None and value <= item.exclusive_minimum:
            return f"{item.name} must be greater than {item.exclusive_minimum}."
    return None


class _Checker:
    """Checks one write's elements; collects every problem before anything changes."""

    def __init__(self, store: Store, route: Route, body: Model, target: Model) -> None:
        self.store, self.route, self.body, self.target = store, route, body, target
        self.problems: list[_Problem] = []
        # Creates get their ids from the server; every other write names existing rows.
        self.needs_id = route.method != "PUT" and body.field("id") is not None

    def element(self, index: int, raw: Any) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self._add(
                "DESERIALIZATION_ERROR", "An element is not an object.", index, None
            )
            return None
        bind = binder(self.store.stage)
        given = lower_keys(raw, bind)
        data = {f.name: given.get(bind(f.name)) for f in self.body.fields}
        ident = data.get("id")
        before = len(self.problems)
        for item in self.body.fields:
            self._field(index, ident, item, data[item.name])
        if len(self.problems) == before:
            self._relations(index, ident, data)
        return data if len(self.problems) == before else None

    def _field(self, index: int, ident: Any, item: ModelField, value: Any) -> None:
        if value is None:
            required = not item.type.nullable and not item.read_only
            if item.name == "id":
                required = self.needs_id
            if required:
                self._add(
                    "MISSING_REQUIRED_DATA", f"{item.name} is required.", index, ident
                )
            return
        if not any(value_fits(self.store.stage, t, value) for t in item.types):
            msg = f"{item.name} could not be deserialized as {item.type}."
            self._add("DESERIALIZATION_ERROR", msg, index, ident)
            return
        problem = constraint_problem(item, value)
        if problem is not None:
            self._add("GENERIC_ERROR", problem, index, ident)

    def _relations(self, index: int, ident: Any, data: dict[str, Any]) -> None:
        if self.needs_id:
            row = self.store.find(self.target.name, ident)
            if row is None:
                self._add("MISSING_RECORD", f"No record with id {ident}.", index, ident)
                return
            org = self.store.organization_of(row)
            if org is not None and org not in self.store.config.organizations:
                self._add(
                    "DATA_ACCESS",
                    "The record is outside of your organizations.",
                    index,
                    ident,
                )
                return
        for kind in _TREE_KINDS:
            for name in link_fields(kind):
                value = data.get(name)
                if not isinstance(value, int) or value is True or value is False:
                    continue
                self._link(index, ident, kind, value)

    def _link(self, index: int, ident: Any, kind: str, value: int) -> None:
        if kind == "organization" and value not in self.store.config.organizations:
            self._add(
                "DATA_ACCESS", f"Organization {value} is not yours.", index, ident
            )
        elif self.store.entity(kind, value) is None and kind_exists(self.store, kind):
            self._add("MISSING_RECORD", f"No {kind} with id {value}.", index, ident)

    def _add(self, code: str, message: str, index: int, ident: Any) -> None:
        self.problems.append(_Problem(code, message, index, ident))

    def raise_problems(self) -> None:
        if not self.problems:
            return
        errors = []
        for code in dict.fromkeys(p.code for p in self.problems):
            group = [p for p in self.problems if p.code == code]
            by_id = all(p.ident is not None for p in group)
            pointers = [p.ident if by_id else p.index for p in group]
            name = (
                f"{self.target.name}.Id"
                if by_id
                else f"{self.store.stage.body_keys.body}[]"
            )
            errors.append(MockError(code, group[0].message, pointers, name))
        raise MockErrors(errors)


def kind_exists(store: Store, kind: str) -> bool:
    """Whether the stage has a table for the org-tree ``kind``."""
    return store.stage.model(kind[:1].upper() + kind[1:]) is not None


def apply_write(store: Store, route: Route, body: Any, now: datetime) -> None:
    """Validate every element of ``body`` and apply them all, or raise and change nothing."""
    stage = store.stage
    body_model = stage.model(route.body.model or "") if route.body else None
    target = target_model(stage, route)
    if body_model is None or target is None:
        return
    if body is None:
        raise MockError(
            "MISSING_REQUIRED_DATA",
            "The body is missing.",
            [stage.body_keys.body],
            "field",
        )
    if not isinstance(body, list):
        raise MockError(
            "DESERIALIZATION_ERROR",
            "The body must be a list.",
            [stage.body_keys.body],
            "field",
        )
    checker = _Checker(store, route, body_model, target)
    elements = [checker.element(i, raw) for i, raw in enumerate(body)]
    checker.raise_problems()
    valid = [e for e in elements if e is not None]
    store.replace(target.name, _changed(store, route, target, valid, now))


def _changed(
    store: Store,
    route: Route,
    target: Model,
    elements: list[dict[str, Any]],
    now: datetime,
) -> list[Row]:
    rows = list(store.rows(target.name))
    if route.method == "PUT":
        first = store.next_id(target.name)
        rows += [
            _created(store, target, d, now, first + i) for i, d in enumerate(elements)
        ]
        return rows
    edit = _edit_for(route)
    by_id = {data["id"]: data for data in elements}
    out = []
    for row in rows:
        given = by_id.get(row.data.get("id"))
        if given is None:
            out.append(row)
            continue
        changed = edit(target, dict(row.data), given)
        if changed is not None:
            out.append(Row(changed, store.links_for(target, changed), row.moment))
    return out


def _edit_for(
    route: Route,
) -> Callable[[Model, dict[str, Any], dict[str, Any]], dict[str, Any] | None]:
    if route.method == "DELETE":
        return _deleted
    if route.verb == "undelete" or route.name.endswith("undelete"):
        return _undeleted
    return _updated


def _updated(
    target: Model, old: dict[str, Any], data: dict[str, Any]
) -> dict[str, Any]:
    """PATCH replaces: fields not sent become null; read-only fields keep their value."""
    for item in target.fields:
        if item.read_only or item.name == "id":
            continue
        old[item.name] = data.get(item.name)
    return old


def _deleted(
    target: Model, old: dict[str, Any], data: dict[str, Any]
) -> dict[str, Any] | None:
    if target.field("isEnabled") is not None:
        return {**old, "isEnabled": False}
    if target.field("isDeleted") is not None:
        return {**old, "isDeleted": True}
    return None


def _undeleted(
    target: Model, old: dict[str, Any], data: dict[str, Any]
) -> dict[str, Any]:
    if target.field("isEnabled") is not None:
        return {**old, "isEnabled": True}
    if target.field("isDeleted") is not None:
        return {**old, "isDeleted": False}
    return old


def _created(
    store: Store, target: Model, data: dict[str, Any], now: datetime, ident: int
) -> Row:
    record: dict[str, Any] = {f.name: data.get(f.name) for f in target.fields}
    record.update(
        {
            k: v
            for k, v in {"isEnabled": True, "isDeleted": False}.items()
            if k in record
        }
    )
    id_field = target.field("id")
    if id_field is not None and id_field.type.base in _INTS:
        record["id"] = ident
    moment = now.replace(tzinfo=None)
    stamp = date_field(target)
    if stamp is not None:
        record[stamp] = format_moment(moment)
    return Row(record, store.links_for(target, record), moment if stamp else None)
