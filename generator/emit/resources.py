"""``resources/`` of a package: a module per group, a resource class per flavour (sync,
async) in it, a method per route."""

from __future__ import annotations

from typing import Any

from ..spec.model import StageApi
from . import rest_views
from .layout import dunder_all
from .methods import ASYNC, SYNC, Flavour, MethodView, methods
from .rest_methods import rest_methods
from .templating import from_import, import_sections
from .views import GroupView, RouteView, docstring, used_models

PACKAGE = "resources"  # one module per group inside it, as openai-python lays it out


def module_doc(where: str, stage: StageApi) -> str:
    """The docstring of ``resources/__init__.py``."""
    return (
        f"Resource groups of {where}: one module per group, each with a sync and an "
        "async class holding one typed method per route."
    )


def group_doc(where: str, group: GroupView) -> str:
    """The docstring of one group's module."""
    return f"The ``{group.attr}`` group of {where}: one typed method per route, sync and async."


def context(stage: StageApi, group: GroupView) -> dict[str, Any]:
    """Slots of ``package/resources/group.py.j2`` for one group."""
    standard = stage.request_filter
    filter_class = standard.name if standard else "None"
    classes = [
        {
            "name": flavour.prefix + group.class_name,
            "base": flavour.base,
            "doc": docstring(f"Routes of the ``{group.attr}`` group."),
            "methods": [
                m for r in group.routes for m in route_methods(r, flavour, filter_class)
            ],
        }
        for flavour in (SYNC, ASYNC)
    ]
    imports = (
        rest_views.rest_resource_imports(stage, group.routes)
        if stage.rest
        else _resource_imports(stage, group.routes)
    )
    return {
        "classes": classes,
        "imports": imports,
        "all_": dunder_all([str(c["name"]) for c in classes]),
    }


def route_methods(route: RouteView, flavour: Flavour, filter_class: str) -> list[MethodView]:
    """A route's methods: path/query/body calls for the rest styles, filters otherwise."""
    if route.rest:
        return rest_methods(route, flavour)
    return methods(route, flavour, filter_class)


def _resource_imports(stage: StageApi, routes: tuple[RouteView, ...]) -> list[str]:
    types = [p.type for r in routes for p in r.request_params + r.route_params]
    paged = any(r.paged for r in routes)
    abc = ["Iterator", "AsyncIterator"] if paged else []
    abc += ["Sequence"] if any(r.body_model for r in routes) else []
    lists = any(not r.paged and r.return_type.startswith("list[") for r in routes)
    stdlib = ["import builtins"] if lists else []
    stdlib += from_import("collections.abc", abc)
    dates = any(t.base == "DateTime" for t in types)
    stdlib += from_import("datetime", ["date", "datetime"] if dates else [])
    runtime = ["NOT_GIVEN", "NotGiven", "Timeout", "SyncResource", "AsyncResource"]
    runtime += ["Page"] if paged else []
    runtime += ["SequenceNotStr"] if any(t.is_list for t in types) else []
    standard = stage.request_filter
    filters = {r.route_filter_class for r in routes if r.route_filter_class}
    if standard is not None and any(r.request_params for r in routes):
        filters.add(standard.name)
    enums = {t.base for t in types if stage.enum(t.base) is not None}
    local = ["from .. import _api", *from_import(".._runtime", runtime)]
    local += from_import("..filters", sorted(f for f in filters if f))
    local += from_import("..models", sorted(set(used_models(routes)) | enums))
    return import_sections(stdlib, local)

