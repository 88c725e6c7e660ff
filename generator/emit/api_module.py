"""``_api.py`` of a package: the ``ApiConfig`` and one ``RouteInfo`` per route."""

from __future__ import annotations

from typing import Any

from ..spec.model import StageApi
from . import rest_views, views
from .layout import Brackets, keyword, lay
from .templating import from_import, import_sections
from .views import GroupView

FILE = "_api.py"


def module_doc(where: str, stage: StageApi) -> str:
    """The module docstring (spec text escaped later by ``docstring``)."""
    return f"Static description of {where}: the API config and one RouteInfo per route."


def context(stage: StageApi, groups: tuple[GroupView, ...]) -> dict[str, Any]:
    """Slots of ``package/_api.py.j2``."""
    routes: list[dict[str, Any]] = [
        {
            "const": r.const,
            "call": "RouteInfo",
            "args": _lines(views.route_info_args(stage, r.route)),
        }
        for g in groups
        for r in g.routes
    ]
    routes += [
        {**table, "args": _lines(table["args"])} for table in rest_views.mirror_tables(stage)
    ]
    return {
        "routes": routes,
        "api_args": _lines(views.api_config_args(stage) + rest_views.style_args(stage)),
        "imports": _imports(stage),
    }


def _lines(args: list[tuple[str, str | Brackets]]) -> list[str]:
    """Keyword arguments, one per line inside a call (always exploded)."""
    return [lay(keyword(k, v), 4, ",") for k, v in args]


def _imports(stage: StageApi) -> list[str]:
    stdlib = from_import("datetime", ["timedelta"] + (["time"] if stage.date_range else []))
    runtime = ["ApiConfig", "LimitsConfig", "PaginationConfig", "RouteInfo"]
    runtime += ["DateRangeConfig"] if stage.date_range else []
    runtime += ["TokenConfig"] if stage.auth.token else []
    runtime += rest_views.api_style_imports(stage)
    if any(r.request_filter or r.route_filter for r in stage.routes):
        runtime.append("FilterField")
    return import_sections(
        stdlib, ["from ._errors import ERROR_CONFIG", *from_import("._runtime", runtime)]
    )

