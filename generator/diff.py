"""Stage-to-stage comparison: every change, each marked breaking or not, with why."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import JsonPath
from .model import StageApi


@dataclass(frozen=True, slots=True, order=True)
class Change:
    """One difference between two stages."""

    subject: str  # what changed, e.g. "route transactions.list" or "model Site.name"
    kind: str  # e.g. "route-added", "field-retyped"
    message: str
    breaking: bool
    reason: str  # why it breaks (or why not) existing callers
    where: JsonPath = ()  # spec location of the new (or removed) element


def compare(old: StageApi, new: StageApi) -> list[Change]:
    """Every change from ``old`` to ``new``, sorted."""
    changes: list[Change] = []
    old_routes = {r.name: r for r in old.routes}
    new_routes = {r.name: r for r in new.routes}
    for name in sorted(old_routes.keys() - new_routes.keys()):
        r = old_routes[name]
        changes.append(
            Change(f"route {name}", "route-removed", f"route {name} ({r.method} {r.path}) removed",
                   True, "callers of this route get an error", r.where)
        )
    for name in sorted(new_routes.keys() - old_routes.keys()):
        r = new_routes[name]
        changes.append(
            Change(f"route {name}", "route-added", f"route {name} ({r.method} {r.path}) added",
                   False, "new routes do not affect existing callers", r.where)
        )
    return sorted(changes)
