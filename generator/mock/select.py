"""Which rows a read returns: organization access, deleted rows, id filters, the range.

Filters map to fields by name, not by a table: ``siteIds`` keeps rows linked to those
sites (directly or through their machine), ``alertCodes`` matches ``Alert.code``,
``roleIdentifiers`` matches ``roleId`` or ``roleName``. A filter no field of the model
answers to is ignored, as the vendor ignores unhonoured filters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from ..spec.model import Model
from .data import Row, is_deleted, kind_of, link_fields
from .errors import MockError
from .request import Query
from .store import TREE, Store

__all__ = ["check_organizations", "filter_stem", "select"]

Predicate = Callable[[Row], bool]
_TREE_KINDS = frozenset(kind for kind, _, _ in TREE)


def filter_stem(name: str) -> tuple[str, bool]:
    """``siteIds`` -> (``site``, True); ``sources`` -> (``source``, False)."""
    for suffix in ("Identifiers", "Ids"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], True
    if name.endswith("s") and len(name) > 1:
        return name[:-1], False
    return name, False


def _fields(model: Model, stem: str, is_id: bool) -> list[str]:
    """Fields of ``model`` a filter with this stem compares against."""
    own = kind_of(model.name)
    names = [*link_fields(stem), stem]
    if stem == own:
        names = ["id", "name", "prose"] if is_id else ["id"]
    elif stem.startswith(own) and len(stem) > len(own):
        names.append(kind_of(stem[len(own) :]))  # alertCode on Alert -> code
    if is_id:
        names.append(f"{stem}Name")  # roleIdentifiers -> roleId or roleName
    return [n for n in dict.fromkeys(names) if model.field(n) is not None]


def _norm(value: Any) -> str:
    return str(value).strip().lower()


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _predicate(
    store: Store, model: Model, rows: list[Row], name: str, value: Any
) -> Predicate:
    stem, is_id = filter_stem(name)
    values = _as_list(value)
    if not values:
        return lambda row: True  # an empty list restricts nothing
    if stem in _TREE_KINDS and any(stem in row.links for row in rows):
        if stem == "machine":
            ids = {store.machine_id(str(v)) for v in values}
        else:
            ids = {v for v in values if isinstance(v, int)}
        return lambda row: row.links.get(stem) in ids
    fields = _fields(model, stem, is_id)
    if not fields:
        return lambda row: True
    wanted = {_norm(v) for v in values}
    return lambda row: any(_norm(row.data.get(f)) in wanted for f in fields)


def check_organizations(store: Store, ids: Iterable[Any], pointer_name: str) -> None:
    """DATA_ACCESS naming the organization ids outside the key's organizations."""
    outside = [i for i in ids if i not in store.config.organizations]
    if outside:
        raise MockError(
            "DATA_ACCESS",
            "The request names organizations outside of your organizations.",
            outside,
            pointer_name,
        )


def _visible(store: Store, row: Row, include_deleted: bool) -> bool:
    org = store.organization_of(row)
    if org is not None and org not in store.config.organizations:
        return False
    if include_deleted:
        return True
    return not is_deleted(row.data)


def _within(
    moment: datetime | None, start: datetime | None, end: datetime | None
) -> bool:
    """Inclusive range test; rows without a moment are always inside."""
    if moment is None:
        return True
    return (start is None or start <= moment) and (end is None or moment <= end)


def select(store: Store, model: Model, query: Query) -> list[Row]:
    """The rows of ``model`` a read with ``query`` returns, in table order."""
    rows = store.rows(model.name)
    filters = dict(query.filters)
    orgs = filters.get("organizationIds")
    if isinstance(orgs, list):
        check_organizations(store, orgs, "Organization.Id")
    include_deleted = filters.pop("includeDeleted", False) is True
    tests = [_predicate(store, model, rows, n, v) for n, v in sorted(filters.items())]
    start, end = query.start, query.end
    dated = start is not None or end is not None
    out = []
    for row in rows:
        if not _visible(store, row, include_deleted):
            continue
        if dated and not _within(row.moment, start, end):
            continue
        if all(test(row) for test in tests):
            out.append(row)
    return out
