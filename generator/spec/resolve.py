"""Stage projection of raw spec elements: ``since`` / ``until`` / cumulative ``changes``.

Every evolving element (route, filter, filter field, model, model field, error code,
token auth) is declared once; a stage sees it when ``since <= stage < until`` and with
every ``changes`` entry up to that stage applied in order. Each resolved value keeps
the JSON path it came from, so a problem found in a later stage points at the line
that introduced it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import JsonPath

# Change keys that edit the current list instead of replacing it.
_LIST_EDITS = {
    "add_request_filter": ("request_filter", True),
    "remove_request_filter": ("request_filter", False),
    "add_errors": ("errors", True),
}


@dataclass(frozen=True, slots=True)
class Resolved:
    """An element's values in one stage, with the path each value came from."""

    values: Mapping[str, Any]
    origins: Mapping[str, JsonPath]
    where: JsonPath

    def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key`` in this stage, or ``default``."""
        return self.values.get(key, default)

    def origin(self, key: str) -> JsonPath:
        """Where the value of ``key`` was declared."""
        return self.origins.get(key, self.where)


def alive(raw: Mapping[str, Any], stage: str, order: Sequence[str]) -> bool:
    """True when ``raw`` exists in ``stage`` (unknown stage names count as never)."""
    idx = order.index(stage)
    since, until = raw.get("since"), raw.get("until")
    if since is not None and (since not in order or order.index(since) > idx):
        return False
    return not (until is not None and until in order and order.index(until) <= idx)


def resolve(
    raw: Mapping[str, Any], where: JsonPath, stage: str, order: Sequence[str]
) -> Resolved:
    """Apply ``raw['changes']`` for every stage up to and including ``stage``."""
    values = {k: v for k, v in raw.items() if k != "changes"}
    origins: dict[str, JsonPath] = {k: (*where, k) for k in values}
    changes = raw.get("changes") or {}
    for name in order[: order.index(stage) + 1]:
        change = changes.get(name)
        if not isinstance(change, Mapping):
            continue
        for key, value in change.items():
            path: JsonPath = (*where, "changes", name, key)
            if key in _LIST_EDITS:
                target, add = _LIST_EDITS[key]
                current = list(values.get(target) or [])
                values[target] = _edit_list(current, value, add)
            else:
                target = key
                values[key] = value
            origins[target] = path
    return Resolved(values, origins, where)


def _edit_list(current: list[Any], edits: Sequence[Any], add: bool) -> list[Any]:
    if add:
        return current + [v for v in edits if v not in current]
    return [v for v in current if v not in edits]


def cascade(mapping: Mapping[str, Any] | None, stage: str, order: Sequence[str]) -> Any:
    """The value of a ``{stage: value}`` map that applies in ``stage`` (latest earlier entry)."""
    result = None
    for name in order[: order.index(stage) + 1]:
        if mapping and name in mapping:
            result = mapping[name]
    return result
